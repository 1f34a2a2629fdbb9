package ch.cern.alice.lakehouse.scenario.stack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(LakeStackExtension.class)}: starts the {@link LakeStack} once for all test classes of the JVM,
 * injects it into constructors and methods taking a {@code LakeStack}, and stops it when the test run ends.
 */
public final class LakeStackExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LakeStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    private static LakeStack stack(ExtensionContext context) {
        // the root store closes its AutoCloseable values when the whole test run ends
        return context.getRoot().getStore(ExtensionContext.Namespace.create(LakeStackExtension.class))
                .computeIfAbsent(RunningStack.class, key -> new RunningStack(LakeStack.get()), RunningStack.class)
                .stack();
    }

    private record RunningStack(LakeStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.stop();
        }
    }
}

package ch.cern.alice.lakehouse.support.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the refusal of {@link DemoCredentialsGuard} as a plain "APPLICATION FAILED TO START" with what to do. */
public final class DemoCredentialsFailureAnalyzer
        extends AbstractFailureAnalyzer<DemoCredentialsGuard.DemoCredentialsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DemoCredentialsGuard.DemoCredentialsException cause) {
        return new FailureAnalysis(
                "This service listens beyond 127.0.0.1 (" + String.join(", ", cause.exposure())
                        + ") and LAKEHOUSE_USERS holds passwords anyone can look up: "
                        + String.join(", ", cause.offenders()) + ".",
                "Set LAKEHOUSE_USERS with a {bcrypt} hash of a real password for every user, made with\n"
                        + "    htpasswd -bnBC 10 \"\" 'PASSWORD' | tr -d ':\\n'\n"
                        + "and written as name:{bcrypt}$2y$10$...:role (docs/security.md). For a local demo, bind the "
                        + "service to 127.0.0.1 instead.",
                cause);
    }
}

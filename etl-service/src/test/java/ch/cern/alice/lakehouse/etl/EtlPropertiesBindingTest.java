package ch.cern.alice.lakehouse.etl;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EtlPropertiesBindingTest {

    @Test
    void withoutEtlJobsHomeTheJobsAreLookedUpBesideTheServiceDirectory() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);

        EtlProperties etl = Binder.get(environment).bind("etl", EtlProperties.class).get();

        assertThat(etl.jobsHome().toAbsolutePath().normalize())
                .isEqualTo(Path.of(System.getProperty("user.dir")).resolve("../etl-jobs/target").normalize());
    }
}

package ch.cern.alice.lakehouse.support.s3;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code lakehouse.s3.*} binds (as Trino's connector config tests check defaults and the full mapping). */
class S3PropertiesTest {

    @Test
    void nothingSetBindsNothing() {
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of())).bind("lakehouse.s3", S3Properties.class)
                .isBound()).isFalse();
    }

    @Test
    void everyPropertyMapsToItsComponent() {
        S3Properties bound = bind(new MapConfigurationPropertySource(Map.of(
                "lakehouse.s3.endpoint", "http://127.0.0.1:9000",
                "lakehouse.s3.access-key", "lake-access",
                "lakehouse.s3.secret-key", "lake-secret",
                "lakehouse.s3.bucket", "lake",
                "lakehouse.s3.region", "us-east-1")));

        assertThat(bound).isEqualTo(
                new S3Properties("http://127.0.0.1:9000", "lake-access", "lake-secret", "lake", "us-east-1"));
    }

    @Test
    void theEnvironmentVariablesOfTheDocsBindToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env", Map.of(
                "LAKEHOUSE_S3_ENDPOINT", "http://s3proxy:8080", "LAKEHOUSE_S3_ACCESS_KEY", "k",
                "LAKEHOUSE_S3_SECRET_KEY", "s", "LAKEHOUSE_S3_BUCKET", "b", "LAKEHOUSE_S3_REGION", "eu-west-1")));

        S3Properties bound = Binder.get(environment).bind("lakehouse.s3", S3Properties.class).get();

        assertThat(bound).isEqualTo(new S3Properties("http://s3proxy:8080", "k", "s", "b", "eu-west-1"));
    }

    @Test
    void theSecretKeyIsNeverPrinted() {
        assertThat(new S3Properties("e", "k", "lake-secret", "b", "r").toString())
                .doesNotContain("lake-secret").contains("secretKey=****").contains("accessKey=k");
    }

    private static S3Properties bind(MapConfigurationPropertySource source) {
        return new Binder(source).bind("lakehouse.s3", S3Properties.class).get();
    }
}

package ch.cern.alice.lakehouse.support.s3;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lake's object store, bound from {@code lakehouse.s3.*} (env {@code LAKEHOUSE_S3_ENDPOINT}, {@code _ACCESS_KEY},
 * {@code _SECRET_KEY}, {@code _BUCKET}, {@code _REGION}); clients use path-style access. A service that talks to S3
 * enables it with {@code @EnableConfigurationProperties(S3Properties.class)}.
 */
@ConfigurationProperties("lakehouse.s3")
public record S3Properties(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    /** Never prints the secret key (the record's own toString would). */
    @Override
    public String toString() {
        return "S3Properties[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey="
                + (secretKey == null ? null : "****") + ", bucket=" + bucket + ", region=" + region + "]";
    }
}

package ch.cern.alice.lakehouse.versioning.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Env {@code LAKEHOUSE_S3_ENDPOINT}, {@code _ACCESS_KEY}, {@code _SECRET_KEY}, {@code _BUCKET}, {@code _REGION}. */
@ConfigurationProperties("lakehouse.s3")
public record S3Properties(String endpoint, String accessKey, String secretKey, String bucket, String region) {
}

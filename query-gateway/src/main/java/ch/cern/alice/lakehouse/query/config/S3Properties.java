package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The lake's bucket ({@code LAKEHOUSE_S3_*}); path-style access. */
@ConfigurationProperties("lakehouse.s3")
public record S3Properties(String endpoint, String bucket, String region, String accessKey, String secretKey) {
}

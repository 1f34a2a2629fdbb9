package ch.cern.alice.lakehouse.etl.config;

import ch.cern.alice.lakehouse.etl.EtlProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.net.URI;

/** Makes sure the lake bucket exists: at start (a warning if S3 is not up yet) and before every run. */
@Component
public class BucketInitializer {

    private static final Logger log = LoggerFactory.getLogger(BucketInitializer.class);

    private final EtlProperties.S3 s3;
    private volatile boolean ready;

    public BucketInitializer(EtlProperties properties) {
        this.s3 = properties.s3();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onStart() {
        try {
            ensureBucket();
        } catch (RuntimeException e) {
            log.warn("S3 bucket {} at {} not ready yet ({}); will retry before the first run", s3.bucket(),
                    s3.endpoint(), e.toString());
        }
    }

    public void ensureBucket() {
        if (ready) {
            return;
        }
        try (S3Client client = client()) {
            try {
                client.headBucket(b -> b.bucket(s3.bucket()));
            } catch (NoSuchBucketException e) {
                client.createBucket(b -> b.bucket(s3.bucket()));
                log.info("created S3 bucket {}", s3.bucket());
            }
        }
        ready = true;
    }

    private S3Client client() {
        AwsCredentialsProvider credentials = s3.accessKey() == null || s3.accessKey().isBlank()
                ? AnonymousCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .build();
    }
}

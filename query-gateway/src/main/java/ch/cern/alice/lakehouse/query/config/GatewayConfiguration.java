package ch.cern.alice.lakehouse.query.config;

import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import ch.cern.alice.lakehouse.support.s3.S3Properties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The gateway's shared beans; the {@code DatasetCatalog} bean comes from service-support's auto-configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Properties.class)
public class GatewayConfiguration {

    /** Bounded: when all threads are busy and the queue is full, new queries are refused (503), not piled up. */
    @Bean(destroyMethod = "shutdownNow")
    public ThreadPoolExecutor queryExecutor(QueryProperties properties) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(properties.executorThreads(), properties.executorThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.executorQueue()), r -> {
            Thread t = new Thread(r, "query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Every table of the lake's schema is a Delta table; "t$history" and other metadata tables are not. */
    @Bean
    public TimeTravelRewriter timeTravelRewriter(TrinoProperties trino) {
        return new TimeTravelRewriter(trino.catalog(), trino.schema(), name -> !name.contains("$"));
    }

    @Bean(destroyMethod = "close")
    public S3Client s3Client(S3Properties s3) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}

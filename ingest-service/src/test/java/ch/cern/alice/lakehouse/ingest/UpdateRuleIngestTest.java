package ch.cern.alice.lakehouse.ingest;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.metrics.IngestMetrics;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import ch.cern.alice.lakehouse.ingest.testsupport.TestKafka;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The update rule of staging through the running service, on a real KRaft Kafka and a real PostgreSQL: for a dedup
 * key the newest record wins (order field, receive time, Kafka partition, offset), within a batch and across
 * batches; a late older record never moves a job back; an updated row gets a new id; sites own their records; a
 * re-delivery changes nothing. Each test works on its own job ids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpdateRuleIngestTest {

    private static final String GROUP = "ingest-update-rule";
    private static final String JOB_INFO = "lakehouse.job_info";
    private static final String TRACE = "lakehouse.trace";
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    private static final long T0 = 1_717_000_000_000L;
    private static final int POISON_RECORDS = 1;
    private static final List<String> STATES = List.of("INSERTING", "WAITING", "ASSIGNED", "STARTED", "RUNNING",
            "SAVING", "SAVED", "DONE");
    private static final List<String> SITES = List.of("CERN", "FZK", "CNAF", "GSI", "KISTI_GSDC", "Torino|x");

    private static TestPostgres postgres;
    private static TestKafka kafka;
    private static JdbcTemplate jdbc;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void startStack() throws Exception {
        postgres = TestPostgres.start();
        kafka = new TestKafka(CATALOG);
        jdbc = postgres.jdbc();
        app = startIngest();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ConfigurableApplicationContext startIngest() {
        return IngestApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrap(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--spring.kafka.listener.concurrency=2",
                "--ingest.retry-initial-backoff=200ms",
                "--ingest.retry-max-backoff=1s",
                "--ingest.topic-partitions=" + TestKafka.PARTITIONS);
    }

    @Test
    @Order(1)
    void withinOneBatchTheNewestRecordIsStagedWhateverTheArrivalOrder() {
        Map<String, Long> staleBefore = metrics().staleDroppedPerDataset();
        Map<String, Long> writtenBefore = metrics().rowsWrittenPerDataset();
        // one producer batch on one partition: the consumer gets the three in one poll
        kafka.sendAll(JOB_INFO, List.of(
                keyed(1, Envelopes.jobInfo(1, "CERN", "RUNNING", T0 + 100, T0 + 5)),
                keyed(1, Envelopes.jobInfo(1, "CERN", "DONE", T0 + 300, T0 + 1)),
                keyed(1, Envelopes.jobInfo(1, "CERN", "SAVING", T0 + 200, T0 + 9))));
        awaitAllCommitted();

        assertThat(status("CERN|1")).isEqualTo("DONE");
        assertThat(orderedAt("CERN|1")).isEqualTo(T0 + 300);
        assertThat(delta(metrics().staleDroppedPerDataset(), staleBefore, "job_info")).isEqualTo(2);
        assertThat(delta(metrics().rowsWrittenPerDataset(), writtenBefore, "job_info")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aLateOlderRecordNeverMovesAJobBack() {
        kafka.send(JOB_INFO, null, "CERN|2", Envelopes.jobInfo(2, "CERN", "DONE", T0 + 200, T0));
        awaitAllCommitted();
        long doneId = id("job_info", "CERN|2");

        // arrives later, was received later, sits at a later offset: still older by its state change time
        kafka.send(JOB_INFO, null, "CERN|2", Envelopes.jobInfo(2, "CERN", "RUNNING", T0 + 100, T0 + 60_000));
        awaitAllCommitted();

        assertThat(status("CERN|2")).isEqualTo("DONE");
        assertThat(id("job_info", "CERN|2")).isEqualTo(doneId);

        // trace: laststatuschangetimestamp orders its records the same way
        Map<String, Object> finalTrace = Envelopes.tracePayload(3, "FZK");
        finalTrace.put("laststatuschangetimestamp", T0 + 200);
        Map<String, Object> earlierTrace = Envelopes.tracePayload(3, "FZK");
        earlierTrace.put("laststatuschangetimestamp", T0 + 100);
        earlierTrace.put("walltime", 1);
        kafka.send(TRACE, null, "FZK|3", Envelopes.envelope("trace", "FZK", "FZK|3", T0, finalTrace));
        kafka.send(TRACE, null, "FZK|3", Envelopes.envelope("trace", "FZK", "FZK|3", T0 + 60_000, earlierTrace));
        awaitAllCommitted();
        assertThat(jdbc.queryForObject("SELECT payload::jsonb->>'walltime' FROM staging.records WHERE dataset = "
                + "'trace' AND dedup_key = 'FZK|3'", String.class)).isEqualTo("4200");
    }

    @Test
    @Order(3)
    void aNewerRecordInALaterBatchReplacesTheStagedRowUnderANewId() {
        kafka.send(JOB_INFO, 1, "CERN|4", Envelopes.jobInfo(4, "CERN", "RUNNING", T0 + 100, T0));
        awaitAllCommitted();
        long runningId = id("job_info", "CERN|4");
        Map<String, Long> updatedBefore = metrics().rowsUpdatedPerDataset();

        kafka.send(JOB_INFO, 1, "CERN|4", Envelopes.jobInfo(4, "CERN", "DONE", T0 + 200, T0));
        awaitAllCommitted();

        assertThat(status("CERN|4")).isEqualTo("DONE");
        assertThat(id("job_info", "CERN|4")).isGreaterThan(runningId);
        assertThat(orderedAt("CERN|4")).isEqualTo(T0 + 200);
        assertThat(count("dataset = 'job_info' AND dedup_key = 'CERN|4'")).isEqualTo(1);
        assertThat(delta(metrics().rowsUpdatedPerDataset(), updatedBefore, "job_info")).isEqualTo(1);
        Map<String, Object> position = jdbc.queryForMap("SELECT kafka_partition, kafka_offset FROM staging.records "
                + "WHERE dataset = 'job_info' AND dedup_key = 'CERN|4'");
        assertThat(position.get("kafka_partition")).isEqualTo(1);
        assertThat((Long) position.get("kafka_offset"))
                .isEqualTo(kafka.endOffsets(List.of(JOB_INFO)).get(new org.apache.kafka.common.TopicPartition(
                        JOB_INFO, 1)) - 1);
    }

    @Test
    @Order(4)
    void theSameJobFromTwoSitesIsTwoRowsAndNeitherSiteCanReplaceTheOthers() {
        kafka.send(JOB_INFO, null, "CERN|424242", Envelopes.jobInfo(424242, "CERN", "RUNNING", T0 + 100, T0));
        kafka.send(JOB_INFO, null, "FZK|424242", Envelopes.jobInfo(424242, "FZK", "DONE", T0 + 999, T0 + 5));
        awaitAllCommitted();

        assertThat(jdbc.queryForList("SELECT site || ' ' || dedup_key || ' ' || (payload::jsonb->>'status') FROM "
                + "staging.records WHERE dataset = 'job_info' AND (payload::jsonb->>'job_id')::bigint = 424242 "
                + "ORDER BY site", String.class))
                .containsExactly("CERN CERN|424242 RUNNING", "FZK FZK|424242 DONE");
        // FZK's key cannot name CERN's record: a payload saying CERN is a poison record
        kafka.send(JOB_INFO, null, "CERN|424242", Envelopes.envelope("job_info", "FZK", "CERN|424242", T0 + 10,
                Envelopes.jobInfoPayload(424242, "CERN", "KILLED", T0 + 5_000)));
        awaitAllCommitted();
        assertThat(status("CERN|424242")).isEqualTo("RUNNING");
        assertThat(status("FZK|424242")).isEqualTo("DONE");
    }

    /**
     * The property: a job's state sequence with increasing state change times, delivered in a random order, over
     * random partitions, in random batch splits, some records sent twice, always ends with the job's last state.
     * Seeds are printed; {@code -Dingest.property.seeds=1,2,3} replays given ones.
     */
    @Test
    @Order(5)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aJobsStatesInAnyOrderAndAnyBatchSplitAlwaysEndDone() {
        List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L, 42L));
        seeds.add(System.nanoTime());
        seeds.add(System.nanoTime() ^ 0x5DEECE66DL);
        String given = System.getProperty("ingest.property.seeds");
        if (given != null && !given.isBlank()) {
            seeds = java.util.Arrays.stream(given.split(",")).map(String::strip).map(Long::parseLong).toList();
        }
        long firstJob = 1_000_000;
        Map<String, Long> staleBefore = metrics().staleDroppedPerDataset();
        Map<String, Long> updatedBefore = metrics().rowsUpdatedPerDataset();
        for (long seed : seeds) {
            System.out.println("UpdateRuleIngestTest property seed " + seed);
            long started = System.nanoTime();
            int jobs = feedInRandomOrderAndSplits(seed, firstJob);
            for (long job = firstJob; job < firstJob + jobs; job++) {
                String site = siteOf(seed, job);
                String key = Envelopes.key(site, job);
                assertThat(count("dataset = 'job_info' AND (payload::jsonb->>'job_id')::bigint = " + job))
                        .as("seed %d job %d: one row", seed, job).isEqualTo(1);
                assertThat(status(key)).as("seed %d job %d (%s)", seed, job, key).isEqualTo("DONE");
                assertThat(orderedAt(key)).as("seed %d job %d", seed, job).isEqualTo(stateChange(job, STATES.size() - 1));
            }
            System.out.printf("UpdateRuleIngestTest property seed %d: %d jobs, %d ms%n", seed, jobs,
                    (System.nanoTime() - started) / 1_000_000);
            firstJob += 1_000;
        }
        // the runs did meet both cases: older records after newer ones, newer ones in later batches
        assertThat(delta(metrics().staleDroppedPerDataset(), staleBefore, "job_info")).isPositive();
        assertThat(delta(metrics().rowsUpdatedPerDataset(), updatedBefore, "job_info")).isPositive();
    }

    /** Sends the state records of some jobs shuffled, in chunks each consumed before the next; returns the job count. */
    private static int feedInRandomOrderAndSplits(long seed, long firstJob) {
        // SplittableRandom mixes the seed: the first values of java.util.Random for small seeds are alike
        Random random = new Random(new SplittableRandom(seed).nextLong());
        int jobs = 3 + random.nextInt(8);
        List<byte[]> records = new ArrayList<>();
        for (long job = firstJob; job < firstJob + jobs; job++) {
            String site = siteOf(seed, job);
            for (int state = 0; state < STATES.size(); state++) {
                // the collector's receive time need not follow the state order
                long receivedAt = T0 + random.nextInt(100_000);
                byte[] record = Envelopes.jobInfo(job, site, STATES.get(state), stateChange(job, state), receivedAt);
                records.add(record);
                if (random.nextInt(5) == 0) {
                    records.add(record); // a client retry: the same record twice
                }
            }
        }
        Collections.shuffle(records, random);
        int sent = 0;
        while (sent < records.size()) {
            int chunk = Math.min(records.size() - sent, 1 + random.nextInt(12));
            for (byte[] record : records.subList(sent, sent + chunk)) {
                kafka.send(JOB_INFO, random.nextInt(TestKafka.PARTITIONS), null, record);
            }
            sent += chunk;
            awaitAllCommitted();
        }
        return jobs;
    }

    private static String siteOf(long seed, long job) {
        return SITES.get((int) Math.floorMod(seed + job, (long) SITES.size()));
    }

    /** Increasing per state, with gaps of varying size. */
    private static long stateChange(long job, int state) {
        return T0 + 1_000_000 + state * 10_000L + (job % 7) * 100;
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void deliveringEveryRecordAgainChangesNothing() {
        awaitAllCommitted();
        String snapshot = "SELECT id, dataset, dedup_key, site, received_at, staged_at, payload, ordered_at, "
                + "kafka_partition, kafka_offset FROM staging.records ORDER BY dataset, dedup_key";
        List<Map<String, Object>> before = jdbc.queryForList(snapshot);
        long records = kafka.endOffsets(CATALOG.topics()).values().stream().mapToLong(Long::longValue).sum();
        assertThat(before).hasSizeGreaterThan(20);

        app.close();
        kafka.rewind(GROUP, CATALOG.topics());
        app = startIngest();
        awaitAllCommitted();

        assertThat(jdbc.queryForList(snapshot)).isEqualTo(before);
        IngestMetrics metrics = metrics();
        assertThat(sum(metrics.rowsWrittenPerDataset())).isZero();
        assertThat(sum(metrics.rowsUpdatedPerDataset())).isZero();
        // each staged row is one of the records; every other record is older than the row of its key, but for the
        // one poison record of this class (another site's record)
        assertThat(sum(metrics.duplicatesDroppedPerDataset())).isEqualTo(before.size());
        assertThat(sum(metrics.duplicatesDroppedPerDataset()) + sum(metrics.staleDroppedPerDataset()))
                .isEqualTo(records - POISON_RECORDS);
    }

    private static IngestMetrics metrics() {
        return app.getBean(IngestMetrics.class);
    }

    private static long sum(Map<String, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long delta(Map<String, Long> after, Map<String, Long> before, String dataset) {
        return after.getOrDefault(dataset, 0L) - before.getOrDefault(dataset, 0L);
    }

    private static Map.Entry<String, byte[]> keyed(long job, byte[] value) {
        return new AbstractMap.SimpleEntry<>("job-" + job, value);
    }

    private static void awaitAllCommitted() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(kafka.uncommitted(GROUP, CATALOG.topics())).as("partitions not fully committed").isEmpty());
    }

    private static String status(String key) {
        return jdbc.queryForObject("SELECT payload::jsonb->>'status' FROM staging.records WHERE dataset = 'job_info' "
                + "AND dedup_key = ?", String.class, key);
    }

    private static Long orderedAt(String key) {
        Timestamp t = jdbc.queryForObject("SELECT ordered_at FROM staging.records WHERE dataset = 'job_info' "
                + "AND dedup_key = ?", Timestamp.class, key);
        return t == null ? null : t.getTime();
    }

    private static long id(String dataset, String key) {
        return jdbc.queryForObject("SELECT id FROM staging.records WHERE dataset = ? AND dedup_key = ?", Long.class,
                dataset, key);
    }

    private static long count(String where) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.records WHERE " + where, Long.class);
    }
}

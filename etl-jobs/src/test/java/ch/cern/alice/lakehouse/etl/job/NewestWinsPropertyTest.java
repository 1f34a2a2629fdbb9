package ch.cern.alice.lakehouse.etl.job;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever order a job's state records arrive in, however they are split over ETL runs, and with
 * re-sent duplicates, each job ends in Delta with its final state (the one with the latest state-change time) -
 * and in the partition of that record's submit time, with the summary table equal to a full recomputation.
 * Staging applies the same rule within a window, as ingest does.
 * <p>
 * Seeded: the seed is printed; repeat a failure with {@code -Detl.property.seed=<seed>}. More trials with
 * {@code -Detl.property.trials=<n>} (default 3, about a minute).
 */
class NewestWinsPropertyTest {

    private static final List<String> STATES = List.of("INSERTING", "WAITING", "ASSIGNED", "STARTED", "RUNNING",
            "SAVING", "SAVED", "DONE");
    private static final List<String> SITES = List.of("CERN", "FZK", "GSI");
    /** Submit times in June, July, August 2024 (epoch seconds): a corrected submit time moves a job's month. */
    private static final long[] MONTHS = {1_717_200_000L, 1_719_792_000L, 1_722_470_400L};
    private static final Instant T0 = Instant.parse("2024-09-01T00:00:00Z");

    private record Job(String site, long id) {
    }

    private record Record(Job job, String status, long submitSeconds, long stateChangeMs) {
    }

    @Test
    void everyJobEndsInItsFinalStateWhateverTheArrivalOrderAndRunSplit() throws Exception {
        long seed = Long.getLong("etl.property.seed", System.nanoTime());
        int trials = Integer.getInteger("etl.property.trials", 3);
        System.out.println("NewestWinsPropertyTest seed=" + seed + " trials=" + trials
                + " (repeat with -Detl.property.seed=" + seed + ")");
        Random random = new Random(seed);
        long arrivals = 0;
        Map<Integer, Long> offsets = new HashMap<>();
        try (EtlFixture etl = new EtlFixture("job_info")) {
            for (int trial = 0; trial < trials; trial++) {
                Map<Job, Record> finals = new LinkedHashMap<>();
                List<Record> records = new ArrayList<>();
                int jobs = 4 + random.nextInt(5);
                while (finals.size() < jobs) {
                    // job ids repeat across sites: each site's job is its own record
                    Job job = new Job(SITES.get(random.nextInt(SITES.size())), 10_000L * (trial + 1) + random.nextInt(jobs));
                    if (finals.containsKey(job)) {
                        continue;
                    }
                    List<Record> sequence = sequence(job, random);
                    records.addAll(sequence);
                    finals.put(job, sequence.get(sequence.size() - 1));
                }
                // at-least-once delivery: some records arrive twice
                int duplicates = random.nextInt(records.size() / 4 + 1);
                for (int i = 0; i < duplicates; i++) {
                    records.add(records.get(random.nextInt(records.size())));
                }
                Collections.shuffle(records, random);

                TreeSet<Integer> cuts = new TreeSet<>();
                int runs = 2 + random.nextInt(3);
                while (cuts.size() < runs - 1) {
                    cuts.add(1 + random.nextInt(records.size() - 1));
                }
                cuts.add(records.size());
                int start = 0;
                for (int end : cuts) {
                    for (Record r : records.subList(start, end)) {
                        int partition = random.nextInt(3);
                        long offset = offsets.merge(partition, 1L, Long::sum);
                        etl.stageJob(r.job().site(), r.job().id(), r.status(), r.submitSeconds(), r.stateChangeMs(),
                                T0.plusSeconds(arrivals++), partition, offset);
                    }
                    etl.run("job_info");
                    start = end;
                }
                assertThat(etl.staging.count("job_info")).isZero();

                String context = "seed " + seed + ", trial " + trial + ", " + records.size() + " records in " + runs
                        + " runs";
                for (Map.Entry<Job, Record> e : finals.entrySet()) {
                    Job job = e.getKey();
                    Record last = e.getValue();
                    List<Row> rows = etl.table("job_info").where("job_id = " + job.id() + " AND _site = '"
                            + job.site() + "'").collectAsList();
                    assertThat(rows).as("%s: rows of %s", context, job).hasSize(1);
                    Row row = rows.get(0);
                    assertThat(row.<String>getAs("status")).as("%s: state of %s", context, job)
                            .isEqualTo(last.status());
                    assertThat(row.<Timestamp>getAs("state_change_timestamp").getTime()).as("%s: %s", context, job)
                            .isEqualTo(last.stateChangeMs());
                    int month = Instant.ofEpochSecond(last.submitSeconds()).atZone(ZoneOffset.UTC).getMonthValue();
                    assertThat(row.<Integer>getAs("month")).as("%s: partition of %s", context, job).isEqualTo(month);
                }
                long trialRows = etl.table("job_info").where("job_id BETWEEN " + 10_000L * (trial + 1) + " AND "
                        + (10_000L * (trial + 1) + 9_999)).count();
                assertThat(trialRows).as(context).isEqualTo(finals.size());

                List<Row> recomputed = Aggregates.jobInfoDailyStatus(etl.table("job_info"))
                        .select("year", "month", "day", "site", "status", "jobs")
                        .orderBy("year", "month", "day", "site", "status").collectAsList();
                List<Row> summary = etl.table("job_info_daily_status")
                        .select("year", "month", "day", "site", "status", "jobs")
                        .orderBy("year", "month", "day", "site", "status").collectAsList();
                assertThat(summary).as("%s: summary", context).isEqualTo(recomputed);
            }
        }
    }

    /**
     * A job's states with strictly increasing state-change times: the whole JAliEn sequence up to DONE, or a
     * prefix of it ending in ERROR_E. A third of the jobs get a corrected submit time on each record.
     */
    private static List<Record> sequence(Job job, Random random) {
        int length = random.nextInt(4) == 0 ? 1 + random.nextInt(STATES.size() - 2) : STATES.size();
        boolean error = length < STATES.size();
        boolean moving = random.nextInt(3) == 0;
        long submit = MONTHS[random.nextInt(MONTHS.length)] + random.nextInt(86_400 * 20);
        long time = 1_725_000_000_000L + random.nextInt(1_000_000);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < length + (error ? 1 : 0); i++) {
            time += 1 + random.nextInt(60_000);
            long submitted = moving ? MONTHS[random.nextInt(MONTHS.length)] + random.nextInt(86_400 * 20) : submit;
            records.add(new Record(job, i < length ? STATES.get(i) : "ERROR_E", submitted, time));
        }
        return records;
    }
}

package ch.cern.alice.lakehouse.ingest.figures;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterSchema;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The roll-up of {@code ingest.figures} on a real PostgreSQL: hour rows older than daily-after become one row per
 * day, older than monthly-after one per month; every window (hour, day, total, per site) reads the same before and
 * after, a second run moves nothing, a run while another instance holds the lock skips.
 */
class FiguresRollupTest {

    private static TestPostgres postgres;
    private static JdbcTemplate jdbc;
    private static FiguresRepository repository;
    private static FiguresRollup rollup;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestPostgres.start();
        DeadLetterSchema schema = new DeadLetterSchema(postgres.lakehouse());
        jdbc = postgres.jdbc();
        repository = new FiguresRepository(jdbc, schema);
        rollup = new FiguresRollup(jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(postgres.lakehouse())), null,
                FiguresProperties.defaults(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void foldsOldHoursIntoDaysAndMonthsKeepingEveryWindow() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long n = 1;
        // two sites, every 7th hour over 200 days (hour rows: recent hours stay, old ones fold), plus the last day
        for (int h = 0; h < 200 * 24; h += 7) {
            insert(hour.minus(h, ChronoUnit.HOURS), "trace", "CERN", n++);
            insert(hour.minus(h, ChronoUnit.HOURS), "jdl", "GSI", n++);
        }
        for (int h = 1; h < 24; h++) {
            insert(hour.minus(h, ChronoUnit.HOURS), "trace", "FZK", n++);
        }
        Figures before = repository.read();
        int rowsBefore = rows("true");

        FiguresRollup.Result result = rollup.run();

        Figures after = repository.read();
        assertThat(after.totals()).isEqualTo(before.totals());
        assertThat(after.datasets()).isEqualTo(before.datasets());
        assertThat(after.sites()).isEqualTo(before.sites());
        assertThat(result.hoursIntoDays()).isPositive();
        assertThat(result.rowsIntoMonths()).isPositive();
        assertThat(rows("true")).isLessThan(rowsBefore / 3);

        Instant dayCutoff = hour.minus(Duration.ofDays(7)).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .toInstant();
        ZonedDateTime monthCutoff = hour.minus(Duration.ofDays(90)).atZone(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        assertThat(rows("hour >= '" + dayCutoff + "'")).as("hour rows of the last days untouched")
                .isEqualTo(rowsBefore(hour, dayCutoff));
        assertThat(jdbc.queryForList("SELECT hour FROM ingest.figures WHERE hour < ? AND hour <> date_trunc('day', "
                + "hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'", Timestamp.class, Timestamp.from(dayCutoff)))
                .as("older: day buckets only").isEmpty();
        assertThat(jdbc.queryForList("SELECT hour FROM ingest.figures WHERE hour < ? AND hour <> date_trunc('month',"
                + " hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'", Timestamp.class,
                Timestamp.from(monthCutoff.toInstant()))).as("oldest: month buckets only").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingest.figures WHERE hour < ? AND dataset = 'trace'",
                Integer.class, Timestamp.from(monthCutoff.toInstant())))
                .as("one row per month and site").isBetween(3, 5);

        assertThat(rollup.run()).as("nothing left to fold").isEqualTo(new FiguresRollup.Result(0, 0));
        // a late collector report for an old hour adds an hour row; the next run folds it into its day
        insert(hour.minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS), "trace",
                "CERN", 1000);
        Figures late = repository.read();
        assertThat(late.totals().total().received()).isEqualTo(after.totals().total().received() + 1000);
        assertThat(rollup.run().hoursIntoDays()).isEqualTo(1);
        assertThat(repository.read().totals()).isEqualTo(late.totals());

        // another instance rolling up: this run skips
        try (Connection other = postgres.lakehouse().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, FiguresRollup.LOCK);
                lock.execute();
            }
            assertThat(rollup.run()).isEqualTo(new FiguresRollup.Result(-1, -1));
            other.rollback();
        }
    }

    @Test
    void refusesSettingsThatWouldFoldTheLastDay() {
        assertThatThrownBy(() -> new FiguresProperties(null, null, Duration.ofHours(12), null, null))
                .hasMessageContaining("INGEST_FIGURES_DAILY_AFTER");
        assertThatThrownBy(() -> new FiguresProperties(null, null, Duration.ofDays(30), Duration.ofDays(10), null))
                .hasMessageContaining("INGEST_FIGURES_MONTHLY_AFTER");
        assertThatThrownBy(() -> new FiguresProperties(null, null, null, null, Duration.ZERO))
                .hasMessageContaining("INGEST_FIGURES_ROLLUP_INTERVAL");
    }

    private int rowsBefore(Instant hour, Instant dayCutoff) {
        // the hour rows inserted at or after the cutoff: every 7th hour for two sites, plus FZK's 23 hours
        long hours = Duration.between(dayCutoff, hour).toHours();
        return (int) (2 * (hours / 7 + 1) + 23);
    }

    private static int rows(String where) {
        return jdbc.queryForObject("SELECT count(*) FROM ingest.figures WHERE " + where, Integer.class);
    }

    private static void insert(Instant hour, String dataset, String site, long n) {
        jdbc.update("""
                INSERT INTO ingest.figures AS f (hour, dataset, site, received, accepted, rejected, request_duplicates,
                    unacknowledged, staged_inserted, staged_updated, staged_duplicates, staged_stale)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (hour, dataset, site) DO UPDATE SET received = f.received + excluded.received""",
                Timestamp.from(hour), dataset, site, n, n - 1, 1, n % 3, n % 2, n - 2, n % 5, n % 7, n % 11);
    }
}

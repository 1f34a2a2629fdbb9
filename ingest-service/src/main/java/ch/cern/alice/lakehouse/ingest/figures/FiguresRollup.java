package ch.cern.alice.lakehouse.ingest.figures;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledFuture;

/**
 * Keeps {@code ingest.figures} from growing forever without losing a count: hour rows of whole days older than
 * {@code ingest.figures.daily-after} are folded into the row at that day's start (00:00 UTC), and rows of whole
 * months older than {@code ingest.figures.monthly-after} into the row at the month's first day, so a dataset and site
 * keep one row per month for the past, one per day for the last months and one per hour for the last days. Folding
 * adds the counts (the table's shape does not change: a bucket is a row whose {@code hour} is its start), so totals
 * stay exact, and the "last hour" and "last day" windows keep reading hour rows (daily-after is at least a day).
 * <p>
 * Each fold is one statement (delete the rows, add their sums to the bucket rows) in one transaction; a late
 * collector report for an old hour only adds an hour row that the next run folds. Several ingest instances may run
 * it: a transaction-level advisory lock lets one of them fold at a time, the others skip that run.
 */
@Component
public class FiguresRollup implements SmartLifecycle {

    /** Advisory lock key of the roll-up ("figures" in ASCII, as a number). */
    static final long LOCK = 0x66696775726573L;

    private static final Logger log = LoggerFactory.getLogger(FiguresRollup.class);
    private static final String[] COLUMNS = {"received", "accepted", "rejected", "request_duplicates",
            "unacknowledged", "staged_inserted", "staged_updated", "staged_duplicates", "staged_stale"};

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TaskScheduler scheduler;
    private final FiguresProperties properties;
    private final Clock clock;
    private volatile ScheduledFuture<?> running;

    /** Taking the schema bean guarantees the table exists. */
    @Autowired
    public FiguresRollup(JdbcTemplate jdbc, TransactionTemplate tx, TaskScheduler scheduler,
                         FiguresProperties properties, DeadLetterSchema schema) {
        this(jdbc, tx, scheduler, properties, Clock.systemUTC());
    }

    FiguresRollup(JdbcTemplate jdbc, TransactionTemplate tx, TaskScheduler scheduler, FiguresProperties properties,
                  Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.scheduler = scheduler;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one run folded: source rows removed into day and month buckets; -1 each when another instance ran. */
    public record Result(int hoursIntoDays, int rowsIntoMonths) {
        static final Result SKIPPED = new Result(-1, -1);
    }

    /** Folds now; failures are logged (the next run folds what this one did not). */
    public Result runLogged() {
        try {
            Result result = run();
            if (result.hoursIntoDays() > 0 || result.rowsIntoMonths() > 0) {
                log.info("Figures rolled up: {} hour rows into days (older than {}), {} rows into months (older "
                        + "than {})", result.hoursIntoDays(), properties.dailyAfter(), result.rowsIntoMonths(),
                        properties.monthlyAfter());
            }
            return result;
        } catch (RuntimeException e) {
            log.warn("Could not roll up ingest.figures: {}", e.toString());
            return Result.SKIPPED;
        }
    }

    /** Folds hour rows into days and older rows into months, in one transaction. */
    public Result run() {
        Instant now = clock.instant();
        ZonedDateTime dayCutoff = now.minus(properties.dailyAfter()).atZone(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS);
        ZonedDateTime monthCutoff = now.minus(properties.monthlyAfter()).atZone(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        return tx.execute(status -> {
            Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK);
            if (!Boolean.TRUE.equals(locked)) {
                return Result.SKIPPED;
            }
            int days = fold("day", dayCutoff.toInstant());
            int months = fold("month", monthCutoff.toInstant());
            return new Result(days, months);
        });
    }

    /**
     * Moves every row older than {@code cutoff} that is not at the start of its {@code unit} (day or month, UTC) into
     * the row at that start, adding the counts; returns the number of rows moved.
     */
    private int fold(String unit, Instant cutoff) {
        String bucket = "(date_trunc('" + unit + "', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
        StringBuilder sql = new StringBuilder("WITH moved AS (DELETE FROM ingest.figures WHERE hour < ? AND hour <> ")
                .append(bucket).append(" RETURNING *), folded AS (INSERT INTO ingest.figures AS f (hour, dataset, site");
        for (String c : COLUMNS) {
            sql.append(", ").append(c);
        }
        sql.append(") SELECT ").append(bucket).append(", dataset, site");
        for (String c : COLUMNS) {
            sql.append(", sum(").append(c).append(")");
        }
        // ordered, so that concurrent upserts of the same rows lock them in the same order as StagingFigures
        sql.append(" FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 ON CONFLICT (hour, dataset, site) DO UPDATE SET ");
        for (int i = 0; i < COLUMNS.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(COLUMNS[i]).append(" = f.").append(COLUMNS[i])
                    .append(" + excluded.").append(COLUMNS[i]);
        }
        sql.append(" RETURNING 1) SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM folded)");
        Integer moved = jdbc.queryForObject(sql.toString(), (rs, n) -> rs.getInt(1), Timestamp.from(cutoff));
        return moved == null ? 0 : moved;
    }

    @Override
    public void start() {
        running = scheduler.scheduleWithFixedDelay(this::runLogged, clock.instant().plusSeconds(60),
                properties.rollupInterval());
    }

    @Override
    public void stop() {
        ScheduledFuture<?> task = running;
        if (task != null) {
            task.cancel(false);
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}

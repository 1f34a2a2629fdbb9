package ch.cern.alice.lakehouse.common.dataset;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Logical column types of the dataset catalog. Each type knows how to coerce a value decoded from JSON
 * (Long/Integer/Double/BigDecimal/String/Boolean) into its canonical Java form, and how it is called in SQL.
 * <p>
 * This is the one definition of each type's value checks ({@link #coerce}, {@link #isCanonical},
 * {@link #minEpochValue()}/{@link #maxEpochValue()}). The fast paths that check values without calling
 * {@code coerce} per value (ingest-service's CanonicalEnvelopeReader, etl-jobs' StagedRowConversion) take these
 * definitions, and their tests check them against {@code coerce} over every type and its edge values.
 */
public enum FieldType {
    BIGINT("BIGINT", "bigint"),
    INT("INTEGER", "int"),
    DOUBLE("DOUBLE", "double"),
    BOOLEAN("BOOLEAN", "boolean"),
    STRING("VARCHAR", "string"),
    /** Long unstructured text kept as-is (e.g. raw JDL). */
    TEXT("VARCHAR", "string"),
    /** Epoch milliseconds on the wire, TIMESTAMP in the lake. */
    EPOCH_MS("TIMESTAMP(3) WITH TIME ZONE", "timestamp"),
    /** Epoch seconds on the wire, TIMESTAMP in the lake. */
    EPOCH_S("TIMESTAMP(3) WITH TIME ZONE", "timestamp");

    /** 2000-01-01 and 2100-01-01 in epoch seconds: anything outside is almost certainly a unit mistake. */
    public static final long MIN_EPOCH_S = 946_684_800L;
    public static final long MAX_EPOCH_S = 4_102_444_800L;

    private final String trinoType;
    private final String sparkType;

    FieldType(String trinoType, String sparkType) {
        this.trinoType = trinoType;
        this.sparkType = sparkType;
    }

    public String trinoType() {
        return trinoType;
    }

    public String sparkType() {
        return sparkType;
    }

    public boolean isTimestamp() {
        return this == EPOCH_MS || this == EPOCH_S;
    }

    /** Smallest value a timestamp type accepts, in its own unit (2000-01-01T00:00:00Z). */
    public long minEpochValue() {
        return switch (this) {
            case EPOCH_MS -> MIN_EPOCH_S * 1000L;
            case EPOCH_S -> MIN_EPOCH_S;
            default -> throw new IllegalStateException(this + " is not a timestamp type");
        };
    }

    /** Largest value a timestamp type accepts, in its own unit (2100-01-01T00:00:00Z, its last millisecond for ms). */
    public long maxEpochValue() {
        return switch (this) {
            case EPOCH_MS -> MAX_EPOCH_S * 1000L + 999L;
            case EPOCH_S -> MAX_EPOCH_S;
            default -> throw new IllegalStateException(this + " is not a timestamp type");
        };
    }

    /**
     * Whether {@code value} already is this type's canonical form and valid, so that {@link #coerce} returns it as
     * it is: a Long (BIGINT), an Integer (INT), a finite Double (DOUBLE), a Boolean, a String (STRING, TEXT), a Long
     * between {@link #minEpochValue()} and {@link #maxEpochValue()} (timestamps).
     */
    public boolean isCanonical(Object value) {
        return switch (this) {
            case BIGINT -> value instanceof Long;
            case INT -> value instanceof Integer;
            case DOUBLE -> value instanceof Double d && Double.isFinite(d);
            case BOOLEAN -> value instanceof Boolean;
            case STRING, TEXT -> value instanceof String;
            case EPOCH_MS, EPOCH_S -> value instanceof Long l && l >= minEpochValue() && l <= maxEpochValue();
        };
    }

    /** Epoch milliseconds of a value already coerced by this type (only for timestamp types). */
    public long toEpochMillis(Object coerced) {
        long v = ((Number) coerced).longValue();
        return this == EPOCH_S ? v * 1000L : v;
    }

    /**
     * @return the canonical value (Long, Integer, Double, Boolean or String)
     * @throws IllegalArgumentException with a message fit for the client when the value does not fit
     */
    public Object coerce(Object value) {
        // a value already in canonical form is returned as it is: re-boxing it costs an allocation per field
        if (isCanonical(value)) {
            return value;
        }
        return switch (this) {
            case BIGINT -> toLong(value);
            case INT -> toInt(value);
            case DOUBLE -> toDouble(value);
            case BOOLEAN -> toBoolean(value);
            case STRING, TEXT -> toText(value);
            case EPOCH_MS, EPOCH_S -> checkEpoch(toLong(value));
        };
    }

    private static long toLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger bi) {
            try {
                return bi.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("integer out of range: " + bi);
            }
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            BigDecimal d = new BigDecimal(value.toString());
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("expected an integer, got " + value);
            }
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, got string \"" + abbreviate(s) + "\"");
            }
        }
        throw new IllegalArgumentException("expected an integer, got " + describe(value));
    }

    private static int toInt(Object value) {
        long v = toLong(value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("integer out of 32-bit range: " + v);
        }
        return (int) v;
    }

    private static double toDouble(Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number, got string \"" + abbreviate(s) + "\"");
            }
        } else {
            throw new IllegalArgumentException("expected a number, got " + describe(value));
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("expected a finite number, got " + d);
        }
        return d;
    }

    private static boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("expected true or false, got " + describe(value));
    }

    private static String toText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("expected a string, got " + describe(value));
    }

    private long checkEpoch(long value) {
        if (value < minEpochValue() || value > maxEpochValue()) {
            String hint = "";
            if (this == EPOCH_MS && value >= EPOCH_S.minEpochValue() && value <= EPOCH_S.maxEpochValue()) {
                hint = " (looks like epoch seconds)";
            } else if (this == EPOCH_S && value >= EPOCH_MS.minEpochValue() && value <= EPOCH_MS.maxEpochValue()) {
                hint = " (looks like epoch milliseconds)";
            }
            throw new IllegalArgumentException("timestamp " + value + " is not epoch "
                    + (this == EPOCH_MS ? "milliseconds" : "seconds") + " between 2000 and 2100" + hint);
        }
        return value;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof java.util.Collection) {
            return "an array";
        }
        return value.getClass().getSimpleName().toLowerCase() + " " + abbreviate(String.valueOf(value));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}

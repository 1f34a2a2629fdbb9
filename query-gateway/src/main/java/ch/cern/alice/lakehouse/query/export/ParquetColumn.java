package ch.cern.alice.lakehouse.query.export;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * One result column as a Parquet column of the matching type: integers, floating point, booleans, decimals
 * (precision and scale kept), dates, and timestamps in microseconds (UTC-adjusted for TIMESTAMP WITH TIME ZONE,
 * local for TIMESTAMP). Other types (varchar, time, arrays...) are UTF-8 text.
 */
record ParquetColumn(int index, String name, Kind kind, int precision, int scale) {

    /** Decimals of up to 38 digits fit 16 bytes of two's complement. */
    private static final int WIDE_DECIMAL_BYTES = 16;
    private static final int LONG_DECIMAL_DIGITS = 18;

    enum Kind { INT64, INT32, DOUBLE, FLOAT, BOOLEAN, DECIMAL, DATE, TIMESTAMP, TIMESTAMP_UTC, STRING }

    static ParquetColumn of(ResultSetMetaData meta, int column) throws SQLException {
        Kind kind = switch (meta.getColumnType(column)) {
            case java.sql.Types.BIGINT -> Kind.INT64;
            case java.sql.Types.INTEGER, java.sql.Types.SMALLINT, java.sql.Types.TINYINT -> Kind.INT32;
            case java.sql.Types.DOUBLE, java.sql.Types.FLOAT -> Kind.DOUBLE;
            case java.sql.Types.REAL -> Kind.FLOAT;
            case java.sql.Types.BOOLEAN -> Kind.BOOLEAN;
            case java.sql.Types.DECIMAL, java.sql.Types.NUMERIC -> Kind.DECIMAL;
            case java.sql.Types.DATE -> Kind.DATE;
            case java.sql.Types.TIMESTAMP -> Kind.TIMESTAMP;
            case java.sql.Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP_UTC;
            default -> Kind.STRING;
        };
        return new ParquetColumn(column, meta.getColumnLabel(column), kind, meta.getPrecision(column),
                meta.getScale(column));
    }

    void declare(Types.GroupBuilder<?> schema) {
        switch (kind) {
            case INT64 -> schema.optional(PrimitiveTypeName.INT64).named(name);
            case INT32 -> schema.optional(PrimitiveTypeName.INT32).named(name);
            case DOUBLE -> schema.optional(PrimitiveTypeName.DOUBLE).named(name);
            case FLOAT -> schema.optional(PrimitiveTypeName.FLOAT).named(name);
            case BOOLEAN -> schema.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case DECIMAL -> {
                LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(scale, precision);
                if (precision <= LONG_DECIMAL_DIGITS) {
                    schema.optional(PrimitiveTypeName.INT64).as(decimal).named(name);
                } else {
                    schema.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(WIDE_DECIMAL_BYTES)
                            .as(decimal).named(name);
                }
            }
            case DATE -> schema.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIMESTAMP -> schema.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS)).named(name);
            case TIMESTAMP_UTC -> schema.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS)).named(name);
            case STRING -> schema.optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.stringType()).named(name);
        }
    }

    /** Appends the current row's value; NULL appends nothing (the column is optional). */
    void append(Group row, ResultSet rs) throws SQLException {
        int field = index - 1;
        switch (kind) {
            case INT64 -> {
                long v = rs.getLong(index);
                if (!rs.wasNull()) {
                    row.add(field, v);
                }
            }
            case INT32 -> {
                int v = rs.getInt(index);
                if (!rs.wasNull()) {
                    row.add(field, v);
                }
            }
            case DOUBLE -> {
                double v = rs.getDouble(index);
                if (!rs.wasNull()) {
                    row.add(field, v);
                }
            }
            case FLOAT -> {
                float v = rs.getFloat(index);
                if (!rs.wasNull()) {
                    row.add(field, v);
                }
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(index);
                if (!rs.wasNull()) {
                    row.add(field, v);
                }
            }
            case DECIMAL -> {
                BigDecimal v = rs.getBigDecimal(index);
                if (v != null) {
                    BigInteger unscaled = v.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
                    if (precision <= LONG_DECIMAL_DIGITS) {
                        row.add(field, unscaled.longValueExact());
                    } else {
                        row.add(field, Binary.fromConstantByteArray(twosComplement(unscaled)));
                    }
                }
            }
            case DATE -> {
                LocalDate v = rs.getObject(index, LocalDate.class);
                if (v != null) {
                    row.add(field, Math.toIntExact(v.toEpochDay()));
                }
            }
            case TIMESTAMP -> {
                LocalDateTime v = rs.getObject(index, LocalDateTime.class);
                if (v != null) {
                    row.add(field, micros(v.toInstant(ZoneOffset.UTC)));
                }
            }
            case TIMESTAMP_UTC -> {
                ZonedDateTime v = rs.getObject(index, ZonedDateTime.class);
                if (v != null) {
                    row.add(field, micros(v.toInstant()));
                }
            }
            case STRING -> {
                String v = rs.getString(index);
                if (v != null) {
                    row.add(field, v);
                }
            }
        }
    }

    /** Sub-microsecond digits (Trino allows up to picoseconds) are dropped. */
    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static byte[] twosComplement(BigInteger unscaled) {
        byte[] minimal = unscaled.toByteArray();
        byte[] fixed = new byte[WIDE_DECIMAL_BYTES];
        byte sign = (byte) (unscaled.signum() < 0 ? -1 : 0);
        int pad = WIDE_DECIMAL_BYTES - minimal.length;
        java.util.Arrays.fill(fixed, 0, pad, sign);
        System.arraycopy(minimal, 0, fixed, pad, minimal.length);
        return fixed;
    }
}

package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.trino.TrinoSql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Types of saved-query parameters; each value is validated and rendered as a properly quoted SQL literal. */
public enum ParameterType {
    STRING {
        @Override
        String literal(String value) {
            return TrinoSql.literal(value);
        }
    },
    BIGINT {
        @Override
        String literal(String value) {
            try {
                return Long.toString(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidQueryException("not an integer: '" + value + "'");
            }
        }
    },
    DOUBLE {
        @Override
        String literal(String value) {
            try {
                BigDecimal d = new BigDecimal(value.strip());
                return "DOUBLE '" + d.toPlainString() + "'";
            } catch (NumberFormatException e) {
                throw new InvalidQueryException("not a number: '" + value + "'");
            }
        }
    },
    BOOLEAN {
        @Override
        String literal(String value) {
            String v = value.strip().toLowerCase();
            if (!v.equals("true") && !v.equals("false")) {
                throw new InvalidQueryException("not true/false: '" + value + "'");
            }
            return v.toUpperCase();
        }
    },
    DATE {
        @Override
        String literal(String value) {
            try {
                return "DATE '" + LocalDate.parse(value.strip()) + "'";
            } catch (DateTimeParseException e) {
                throw new InvalidQueryException("not a date (yyyy-mm-dd): '" + value + "'");
            }
        }
    },
    TIMESTAMP {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

        @Override
        String literal(String value) {
            try {
                return "TIMESTAMP '" + FORMAT.format(Instant.parse(value.strip())) + "'";
            } catch (DateTimeParseException e) {
                throw new InvalidQueryException("not an ISO-8601 instant (2026-01-01T00:00:00Z): '" + value + "'");
            }
        }
    };

    abstract String literal(String value);
}

/**
 * Java Flyway migrations of schema {@code staging}, run next to the SQL ones in {@code
 * src/main/resources/db/staging} (same Flyway location): data migrations SQL cannot express.
 */
package db.staging;

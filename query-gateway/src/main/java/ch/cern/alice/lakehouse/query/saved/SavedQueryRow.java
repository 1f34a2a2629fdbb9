package ch.cern.alice.lakehouse.query.saved;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/** A row of {@code query.saved_query} (schema by Flyway, db/query); {@code parameters} is the JSONB text. */
@Entity
@Table(schema = "query", name = "saved_query")
public class SavedQueryRow {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    private String description;
    @Column(name = "sql_text")
    private String sql;
    @ColumnTransformer(write = "?::jsonb")
    private String parameters;
    private String owner;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected SavedQueryRow() {
    }

    SavedQueryRow(String owner, Instant createdAt) {
        this.owner = owner;
        this.createdAt = createdAt;
    }

    /** Sets what a user may edit (the owner and creation time stay). */
    void edit(String name, String description, String sql, String parametersJson, Instant updatedAt) {
        this.name = name;
        this.description = description;
        this.sql = sql;
        this.parameters = parametersJson;
        this.updatedAt = updatedAt;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    String sql() {
        return sql;
    }

    String parameters() {
        return parameters;
    }

    String owner() {
        return owner;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}

package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/**
 * A row of {@code versioning.commits}. The jsonb columns (properties, tables, changed) are held as JSON text (see
 * {@link JsonColumns}) and cast to jsonb on insert; commits are never updated.
 */
@Entity
@Table(schema = "versioning", name = "commits")
public class CommitEntity extends AssignedKeyEntity {

    @Id
    private String id;
    private String parent1;
    private String parent2;
    @Column(nullable = false)
    private int generation;
    @Column(nullable = false)
    private String author;
    @Column(nullable = false)
    private String message;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String properties;
    @Column(nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String tables;
    @Column(nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String changed;
    @Column(name = "etl_run_id")
    private String etlRunId;

    protected CommitEntity() {
    }

    /** @param createdAt already at Postgres' precision (the commit id hashes it) */
    public static CommitEntity create(String id, String parent1, String parent2, int generation, String author,
                                     String message, Instant createdAt, String propertiesJson, String tablesJson,
                                     String changedJson, String etlRunId) {
        CommitEntity commit = new CommitEntity();
        commit.id = id;
        commit.parent1 = parent1;
        commit.parent2 = parent2;
        commit.generation = generation;
        commit.author = author;
        commit.message = message;
        commit.createdAt = createdAt;
        commit.properties = propertiesJson;
        commit.tables = tablesJson;
        commit.changed = changedJson;
        commit.etlRunId = etlRunId;
        commit.markNew();
        return commit;
    }

    @Override
    public String getId() {
        return id;
    }

    public String id() {
        return id;
    }

    public String parent1() {
        return parent1;
    }

    public String parent2() {
        return parent2;
    }

    public int generation() {
        return generation;
    }

    public String author() {
        return author;
    }

    public String message() {
        return message;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String propertiesJson() {
        return properties;
    }

    public String tablesJson() {
        return tables;
    }

    public String changedJson() {
        return changed;
    }

    public String etlRunId() {
        return etlRunId;
    }
}

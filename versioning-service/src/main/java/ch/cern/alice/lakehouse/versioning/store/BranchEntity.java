package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A row of {@code versioning.branches} (schema by Flyway, V1__versioning.sql). */
@Entity
@Table(schema = "versioning", name = "branches")
public class BranchEntity extends AssignedKeyEntity {

    @Id
    private String name;
    @Column(nullable = false)
    private String head;
    @Column(name = "created_by", nullable = false)
    private String createdBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected BranchEntity() {
    }

    /** A new branch (saved with an INSERT, never a merge); times kept to Postgres' microseconds. */
    public static BranchEntity create(String name, String head, String createdBy, Instant now) {
        BranchEntity branch = new BranchEntity();
        branch.name = name;
        branch.head = head;
        branch.createdBy = createdBy;
        branch.createdAt = now.truncatedTo(ChronoUnit.MICROS);
        branch.updatedAt = branch.createdAt;
        branch.markNew();
        return branch;
    }

    public void moveHead(String head, Instant now) {
        this.head = head;
        this.updatedAt = now.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String getId() {
        return name;
    }

    public String name() {
        return name;
    }

    public String head() {
        return head;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}

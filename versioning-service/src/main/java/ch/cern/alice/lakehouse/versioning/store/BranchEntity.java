package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A row of {@code versioning.branches} (schema by Flyway, V1__versioning.sql). */
@Entity
@Table(schema = "versioning", name = "branches")
public class BranchEntity implements Persistable<String> {

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
    @Transient
    private boolean fresh;

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
        branch.fresh = true;
        return branch;
    }

    public void moveHead(String head, Instant now) {
        this.head = head;
        this.updatedAt = now.truncatedTo(ChronoUnit.MICROS);
    }

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    @Override
    public String getId() {
        return name;
    }

    @Override
    public boolean isNew() {
        return fresh;
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

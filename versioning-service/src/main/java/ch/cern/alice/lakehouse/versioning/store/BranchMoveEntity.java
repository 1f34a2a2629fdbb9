package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of the reflog {@code versioning.branch_moves}: where a branch pointed from {@code movedAt} on. */
@Entity
@Table(schema = "versioning", name = "branch_moves")
public class BranchMoveEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private String branch;
    @Column(name = "commit_id", nullable = false)
    private String commitId;
    @Column(name = "moved_at", nullable = false)
    private Instant movedAt;
    @Column(name = "moved_by", nullable = false)
    private String movedBy;
    @Column(nullable = false)
    private String reason;

    protected BranchMoveEntity() {
    }

    public BranchMoveEntity(String branch, String commitId, Instant movedAt, String movedBy, String reason) {
        this.branch = branch;
        this.commitId = commitId;
        this.movedAt = movedAt;
        this.movedBy = movedBy;
        this.reason = reason;
    }

    public String branch() {
        return branch;
    }

    public String commitId() {
        return commitId;
    }

    public Instant movedAt() {
        return movedAt;
    }
}

package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A row of {@code versioning.tags}: immutable once written. */
@Entity
@Table(schema = "versioning", name = "tags")
public class TagEntity extends AssignedKeyEntity {

    @Id
    private String name;
    @Column(name = "commit_id", nullable = false)
    private String commitId;
    private String message;
    @Column(name = "created_by", nullable = false)
    private String createdBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TagEntity() {
    }

    public static TagEntity create(String name, String commitId, String message, String createdBy, Instant now) {
        TagEntity tag = new TagEntity();
        tag.name = name;
        tag.commitId = commitId;
        tag.message = message;
        tag.createdBy = createdBy;
        tag.createdAt = now.truncatedTo(ChronoUnit.MICROS);
        tag.markNew();
        return tag;
    }

    @Override
    public String getId() {
        return name;
    }

    public String name() {
        return name;
    }

    public String commitId() {
        return commitId;
    }

    public String message() {
        return message;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }
}

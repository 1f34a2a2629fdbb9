package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * An entity whose key the service chooses (a branch or tag name, a commit id): new until stored or loaded, so that
 * Spring Data inserts it ({@code persist}) instead of looking it up first ({@code merge}).
 */
@MappedSuperclass
public abstract class AssignedKeyEntity implements Persistable<String> {

    @Transient
    private boolean fresh;

    /** Called by the factory method that makes a row not stored yet. */
    protected void markNew() {
        fresh = true;
    }

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }
}

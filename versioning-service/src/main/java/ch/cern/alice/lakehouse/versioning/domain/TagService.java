package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.RefNameLocks;
import ch.cern.alice.lakehouse.versioning.store.TagRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;

/** Tags are immutable pointers: created once, never moved, deleted only by admins (endpoint role). */
@Service
public class TagService {

    private final TagRepository tags;
    private final BranchRepository branches;
    private final RefResolver refs;
    private final RefNameLocks locks;
    private final Clock clock;

    public TagService(TagRepository tags, BranchRepository branches, RefResolver refs, RefNameLocks locks,
                      Clock clock) {
        this.tags = tags;
        this.branches = branches;
        this.refs = refs;
        this.locks = locks;
        this.clock = clock;
    }

    public List<Tag> list() {
        return tags.list();
    }

    public Tag get(String name) {
        return tags.find(name).orElseThrow(() -> new NotFoundException("no tag '" + name + "'"));
    }

    /** The name lock is the one {@link BranchService#create} takes: a branch and a tag never end up sharing a name. */
    @Transactional
    public Tag create(String name, String ref, String message, Caller caller) {
        Names.requireRefName("tag", name);
        locks.lockName(name);
        if (branches.find(name).isPresent()) {
            throw new ConflictException("a branch named '" + name + "' exists: branch and tag names must differ");
        }
        Commit commit = refs.commit(ref == null ? Names.MAIN : ref);
        Tag tag = new Tag(name, commit.id(), message, caller.name(), clock.instant());
        if (!tags.insert(tag)) {
            throw new ConflictException("tag '" + name + "' exists already and tags are immutable");
        }
        return get(name);
    }

    public void delete(String name) {
        if (!tags.delete(name)) {
            throw new NotFoundException("no tag '" + name + "'");
        }
    }
}

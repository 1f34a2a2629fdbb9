package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.RefNameLocks;
import ch.cern.alice.lakehouse.versioning.store.TagEntity;
import ch.cern.alice.lakehouse.versioning.store.TagRepository;
import org.springframework.data.domain.Sort;
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
        return tags.findAll(Sort.by("name")).stream().map(Tag::of).toList();
    }

    public Tag get(String name) {
        return tags.findById(name).map(Tag::of).orElseThrow(() -> new NotFoundException("no tag '" + name + "'"));
    }

    /** The name lock is the one {@link BranchService#create} takes: a branch and a tag never end up sharing a name. */
    @Transactional
    public Tag create(String name, String ref, String message, Caller caller) {
        Names.requireRefName("tag", name);
        locks.lockName(name);
        if (branches.existsById(name)) {
            throw new ConflictException("a branch named '" + name + "' exists: branch and tag names must differ");
        }
        Commit commit = refs.commit(ref == null ? Names.MAIN : ref);
        if (tags.existsById(name)) { // the name lock keeps a concurrent creation of this name out until we commit
            throw new ConflictException("tag '" + name + "' exists already and tags are immutable");
        }
        return Tag.of(tags.save(TagEntity.create(name, commit.id(), message, caller.name(), clock.instant())));
    }

    public void delete(String name) {
        if (tags.deleteByName(name) == 0) {
            throw new NotFoundException("no tag '" + name + "'");
        }
    }
}

package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.domain.BranchService;
import ch.cern.alice.lakehouse.versioning.domain.CommitService;
import ch.cern.alice.lakehouse.versioning.domain.Names;
import ch.cern.alice.lakehouse.versioning.domain.TagService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * {@code main} always exists: created with an initial empty commit at first start. Also warns about branches and
 * tags created before hex-like names were refused: they keep working, but shadow abbreviated commit ids.
 */
@Component
class MainBranchInitializer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MainBranchInitializer.class);

    private final CommitService commits;
    private final BranchService branches;
    private final TagService tags;

    MainBranchInitializer(CommitService commits, BranchService branches, TagService tags) {
        this.commits = commits;
        this.branches = branches;
        this.tags = tags;
    }

    @Override
    public void run(ApplicationArguments args) {
        commits.ensureMainExists();
        branches.list().stream().filter(b -> Names.looksLikeCommitId(b.name())).forEach(b -> log.warn(
                "branch '{}' is named like a commit id (made before such names were refused): the ref '{}' means "
                        + "this branch, not commits starting with it; a full 64-character commit id always means the "
                        + "commit. Consider a new branch with another name.", b.name(), b.name()));
        tags.list().stream().filter(t -> Names.looksLikeCommitId(t.name())).forEach(t -> log.warn(
                "tag '{}' is named like a commit id (made before such names were refused): the ref '{}' means this "
                        + "tag, not commits starting with it; a full 64-character commit id always means the commit.",
                t.name(), t.name()));
    }
}

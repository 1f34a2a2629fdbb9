package ch.cern.alice.lakehouse.versioning.delta;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.support.s3.S3Properties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads Delta transaction logs straight from S3: {@code s3://<bucket>/<table path>/_delta_log/}. Commit files never
 * change once written, so every one read is kept in a bounded LRU cache; absent files are never cached (they may be
 * written later).
 */
@Component
public class DeltaLogReader {

    private final S3Client s3;
    private final String bucket;
    private final JsonMapper mapper;
    private final DeltaCommitParser parser;
    private final Map<String, DeltaCommit> cache;

    public DeltaLogReader(S3Client s3, S3Properties properties, JsonMapper mapper,
                          @Value("${lakehouse.versioning.delta-cache-size:20000}") int cacheSize) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.mapper = mapper;
        this.parser = new DeltaCommitParser(mapper);
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DeltaCommit> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /** Table {@code t} lives at {@code <bucket>/t}, a branch table {@code branch_x.t} at {@code <bucket>/branch_x/t}. */
    public String location(String table) {
        return "s3://" + bucket + "/" + LakeLayout.tablePath(table);
    }

    public Optional<DeltaCommit> commit(String table, long version) {
        String key = logPrefix(table) + String.format("%020d.json", version);
        DeltaCommit cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            DeltaCommit commit = parser.parse(version, bytes.asString(StandardCharsets.UTF_8),
                    bytes.response().lastModified());
            cache.put(key, commit);
            return Optional.of(commit);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Version of the newest checkpoint named by {@code _delta_log/_last_checkpoint}, if any. */
    public OptionalLong lastCheckpoint(String table) {
        try {
            String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(logPrefix(table) + "_last_checkpoint"))
                    .asString(StandardCharsets.UTF_8);
            JsonNode node = mapper.readTree(text);
            return node.has("version") ? OptionalLong.of(node.get("version").asLong()) : OptionalLong.empty();
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        }
    }

    /** The newest version with a commit file (listing the log), or empty when the table has no log. */
    public OptionalLong latestVersion(String table) {
        String prefix = logPrefix(table);
        OptionalLong checkpoint = lastCheckpoint(table);
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        checkpoint.ifPresent(v -> request.startAfter(prefix + String.format("%020d", v)));
        long latest = checkpoint.orElse(-1);
        for (S3Object object : s3.listObjectsV2Paginator(request.build()).contents()) {
            String name = object.key().substring(prefix.length());
            if (name.matches("\\d{20}\\.json")) {
                latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
            }
        }
        return latest < 0 ? OptionalLong.empty() : OptionalLong.of(latest);
    }

    /**
     * Whether the table has this version: its commit file exists, or it is covered by a checkpoint (older commit
     * files may have been cleaned up).
     */
    public boolean hasVersion(String table, long version) {
        if (version < 0) {
            return false;
        }
        if (commit(table, version).isPresent()) {
            return true;
        }
        OptionalLong checkpoint = lastCheckpoint(table);
        return checkpoint.isPresent() && version <= checkpoint.getAsLong();
    }

    private static String logPrefix(String table) {
        return LakeLayout.tablePath(table) + "/_delta_log/";
    }
}

package ch.cern.alice.lakehouse.common.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * All datasets the platform knows. Built-in descriptors are listed in {@code lakehouse/datasets/index}; operators may
 * add more by pointing {@code LAKEHOUSE_DATASETS_DIR} at a directory of {@code *.dataset} files.
 */
public final class DatasetCatalog {

    private static final String RESOURCE_DIR = "lakehouse/datasets/";

    private final Map<String, DatasetDescriptor> byName;

    public DatasetCatalog(Collection<DatasetDescriptor> descriptors) {
        Map<String, DatasetDescriptor> map = new LinkedHashMap<>();
        for (DatasetDescriptor d : descriptors) {
            if (map.put(d.name(), d) != null) {
                throw new IllegalArgumentException("dataset defined twice: " + d.name());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** Built-in datasets plus those in {@code $LAKEHOUSE_DATASETS_DIR}, if set. */
    public static DatasetCatalog load() {
        String dir = System.getenv("LAKEHOUSE_DATASETS_DIR");
        return dir == null || dir.isBlank() ? builtIn() : builtInPlus(Path.of(dir));
    }

    public static DatasetCatalog builtIn() {
        return new DatasetCatalog(readBuiltIn());
    }

    public static DatasetCatalog builtInPlus(Path extraDir) {
        List<DatasetDescriptor> all = new java.util.ArrayList<>(readBuiltIn());
        try (Stream<Path> files = Files.list(extraDir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".dataset")).sorted().toList()) {
                all.add(DescriptorParser.parse(p.toString(), Files.readString(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset descriptors from " + extraDir, e);
        }
        return new DatasetCatalog(all);
    }

    private static List<DatasetDescriptor> readBuiltIn() {
        String index = readResource(RESOURCE_DIR + "index");
        return index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(n -> DescriptorParser.parse(n + ".dataset", readResource(RESOURCE_DIR + n + ".dataset")))
                .toList();
    }

    private static String readResource(String path) {
        try (InputStream in = DatasetCatalog.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<DatasetDescriptor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public DatasetDescriptor get(String name) {
        return find(name).orElseThrow(() -> new UnknownDatasetException(name, byName.keySet()));
    }

    public Collection<DatasetDescriptor> all() {
        return byName.values();
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public List<String> topics() {
        return byName.values().stream().map(DatasetDescriptor::topic).toList();
    }

    /** The dataset a Kafka topic belongs to. */
    public Optional<DatasetDescriptor> byTopic(String topic) {
        if (!topic.startsWith(DatasetDescriptor.TOPIC_PREFIX)) {
            return Optional.empty();
        }
        return find(topic.substring(DatasetDescriptor.TOPIC_PREFIX.length()));
    }

    public static final class UnknownDatasetException extends RuntimeException {
        public UnknownDatasetException(String name, Collection<String> known) {
            super("unknown dataset '" + name + "'; known datasets: " + String.join(", ", known));
        }
    }
}

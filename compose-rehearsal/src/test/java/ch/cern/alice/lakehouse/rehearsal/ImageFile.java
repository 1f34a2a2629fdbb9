package ch.cern.alice.lakehouse.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container of an image built from this repository starts with, read from the runtime (last) stage of its
 * Dockerfile: {@code ENV}, {@code WORKDIR}, {@code EXPOSE}, {@code HEALTHCHECK}, {@code ENTRYPOINT}, files copied
 * from the build context, and the base image (for its Java version). {@code ARG}s take the compose build args.
 */
record ImageFile(Path dockerfile, String baseImage, Map<String, String> env, String workdir, List<Integer> expose,
                 List<String> healthcheck, List<String> entrypoint, Map<String, Path> copiedFromContext) {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern JAVA_MAJOR = Pattern.compile("(?:temurin|openjdk|jdk|jre)[:-]?(\\d{2})");

    static ImageFile parse(Path dockerfile, Path context, Map<String, String> buildArgs) throws IOException {
        List<String> instructions = instructions(Files.readString(dockerfile));
        Map<String, String> globalArgs = new HashMap<>();
        Map<String, Stage> stages = new HashMap<>();
        Stage stage = null;
        for (String line : instructions) {
            String[] split = line.split("\\s+", 2);
            String op = split[0].toUpperCase();
            String rest = split.length > 1 ? split[1].trim() : "";
            if (op.equals("FROM")) {
                String[] from = rest.split("\\s+");
                String image = substitute(from[0], globalArgs);
                Stage parent = stages.get(image);
                stage = new Stage(parent == null ? image : parent.baseImage);
                if (parent != null) {
                    stage.env.putAll(parent.env);
                    stage.workdir = parent.workdir;
                }
                if (from.length >= 3 && from[1].equalsIgnoreCase("AS")) {
                    stages.put(from[2], stage);
                }
                continue;
            }
            if (op.equals("ARG")) {
                String[] kv = rest.split("=", 2);
                String value = buildArgs.containsKey(kv[0]) ? buildArgs.get(kv[0])
                        : kv.length > 1 ? unquote(kv[1]) : globalArgs.get(kv[0]);
                if (stage == null) {
                    globalArgs.put(kv[0], value);
                } else if (value != null) {
                    stage.args.put(kv[0], value);
                }
                continue;
            }
            if (stage == null) {
                continue;
            }
            Map<String, String> vars = new HashMap<>(stage.args);
            vars.putAll(stage.env);
            switch (op) {
                case "ENV" -> {
                    for (Map.Entry<String, String> e : parseEnv(rest).entrySet()) {
                        stage.env.put(e.getKey(), substitute(e.getValue(), vars));
                    }
                }
                case "WORKDIR" -> stage.workdir = substitute(rest, vars);
                case "EXPOSE" -> {
                    for (String p : substitute(rest, vars).split("\\s+")) {
                        stage.expose.add(Integer.parseInt(p.replaceAll("/\\w+$", "")));
                    }
                }
                case "HEALTHCHECK" -> stage.healthcheck = healthcheck(rest);
                case "ENTRYPOINT" -> stage.entrypoint = execForm(rest);
                case "COPY", "ADD" -> {
                    if (!rest.contains("--from")) {
                        List<String> parts = new ArrayList<>(List.of(rest.replaceAll("--\\S+", "").trim().split("\\s+")));
                        String dest = substitute(parts.remove(parts.size() - 1), vars);
                        for (String src : parts) {
                            Path source = context.resolve(src).normalize(); // COPY sources are context-relative
                            stage.copies.put(dest.endsWith("/") ? dest + Path.of(src).getFileName() : dest, source);
                        }
                    }
                }
                default -> { }
            }
        }
        if (stage == null) {
            throw new IllegalStateException(dockerfile + " has no FROM");
        }
        return new ImageFile(dockerfile, stage.baseImage, stage.env, stage.workdir, stage.expose, stage.healthcheck,
                stage.entrypoint, stage.copies);
    }

    /** Java feature version of the base image, e.g. 17 for eclipse-temurin:17-jre. */
    int javaMajor() {
        Matcher m = JAVA_MAJOR.matcher(baseImage);
        if (!m.find()) {
            throw new IllegalStateException("cannot tell the Java version of base image " + baseImage + " (" + dockerfile + ")");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Expands {@code $VAR}, {@code ${VAR}} and {@code ${VAR:-default}}; unknown variables become empty, like a shell. */
    static String substitute(String text, Map<String, String> vars) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = vars.get(name);
            if ((value == null || value.isEmpty()) && m.group(2) != null) {
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().trim());
            }
            current.setLength(0);
        }
        return out;
    }

    static Map<String, String> parseEnv(String rest) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> tokens = tokens(rest);
        if (!tokens.isEmpty() && !tokens.get(0).contains("=")) { // legacy form: ENV KEY value with spaces
            env.put(tokens.get(0), rest.substring(rest.indexOf(tokens.get(0)) + tokens.get(0).length()).trim());
            return env;
        }
        for (String t : tokens) {
            int eq = t.indexOf('=');
            env.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return env;
    }

    /** Splits on unquoted whitespace and drops the quotes. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    t.append(s.charAt(++i));
                } else {
                    t.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !t.isEmpty()) {
                    out.add(t.toString());
                    t.setLength(0);
                    any = false;
                }
            } else {
                t.append(c);
            }
        }
        if (any || !t.isEmpty()) {
            out.add(t.toString());
        }
        return out;
    }

    private static String unquote(String s) {
        List<String> t = tokens(s);
        return t.isEmpty() ? "" : t.get(0);
    }

    /** HEALTHCHECK [--options] CMD ... in compose's form: ["CMD-SHELL", cmd] or ["CMD", args...]. */
    private static List<String> healthcheck(String rest) {
        String r = rest.replaceAll("--[a-z-]+=\\S+\\s*", "").trim();
        if (r.equalsIgnoreCase("NONE") || !r.regionMatches(true, 0, "CMD", 0, 3)) {
            return List.of();
        }
        String cmd = r.substring(3).trim();
        if (cmd.startsWith("[")) {
            List<String> out = new ArrayList<>(List.of("CMD"));
            out.addAll(execForm(cmd));
            return out;
        }
        return List.of("CMD-SHELL", cmd);
    }

    /** ["a", "b"] (JSON) or a shell form, which Docker runs as /bin/sh -c. */
    private static List<String> execForm(String rest) {
        String r = rest.trim();
        if (!r.startsWith("[")) {
            return List.of("/bin/sh", "-c", r);
        }
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(r);
        while (m.find()) {
            out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }

    private static final class Stage {
        final String baseImage;
        final Map<String, String> args = new HashMap<>();
        final Map<String, String> env = new LinkedHashMap<>();
        final List<Integer> expose = new ArrayList<>();
        final Map<String, Path> copies = new LinkedHashMap<>();
        String workdir = "/";
        List<String> healthcheck = List.of();
        List<String> entrypoint = List.of();

        Stage(String baseImage) {
            this.baseImage = baseImage;
        }
    }
}

package ch.cern.alice.lakehouse.collector.intake;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

import java.io.EOFException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Streams the records of a body to a {@link RecordSink} one at a time: only the current record is ever held as
 * objects, never the whole document as a tree. Malformed JSON fails with a message naming the record index and the
 * line/column of the problem.
 */
public final class RecordStreamParser {

    private final JsonFactory jsonFactory;

    public RecordStreamParser(JsonFactory jsonFactory) {
        this.jsonFactory = jsonFactory;
    }

    public void parse(InputStream body, BodyFormat format, RecordSink sink) {
        Position position = new Position();
        try (JsonParser parser = jsonFactory.createParser(body)) {
            if (format == BodyFormat.JSON_ARRAY) {
                parseArray(parser, sink, position);
            } else {
                parseLines(parser, sink, position);
            }
        } catch (JacksonIOException e) {
            throw readFailure(e);
        } catch (JacksonException e) {
            throw new MalformedBodyException(describe(format, position, e), e);
        }
    }

    private void parseArray(JsonParser parser, RecordSink sink, Position position) {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new MalformedBodyException("the body is empty; expected a JSON array of records");
        }
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedBodyException("expected a JSON array of records at line "
                    + parser.currentTokenLocation().getLineNr() + ", found " + describe(token)
                    + " (send one record per line with Content-Type application/x-ndjson instead)");
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            Object record = readValue(parser, token);
            sink.accept(position.index, record);
            position.index++;
        }
        position.afterEnd = true;
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new MalformedBodyException("unexpected " + describe(trailing) + " after the closing ']' at line "
                    + parser.currentTokenLocation().getLineNr() + ", column "
                    + parser.currentTokenLocation().getColumnNr());
        }
    }

    private void parseLines(JsonParser parser, RecordSink sink, Position position) {
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            Object record = readValue(parser, token);
            sink.accept(position.index, record);
            position.index++;
        }
    }

    /** Builds plain Java values for the current token without going through a tree model. */
    private static Object readValue(JsonParser parser, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                // sized for the widest built-in dataset (18 fields) so a typical record never rehashes
                Map<String, Object> map = new LinkedHashMap<>(32);
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, next));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new MalformedBodyException("unexpected " + describe(token) + " at line "
                    + parser.currentTokenLocation().getLineNr());
        };
    }

    private static String describe(BodyFormat format, Position position, JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        String where = location == null || location == TokenStreamLocation.NA ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        String what;
        if (position.afterEnd) {
            what = "after the closing ']'";
        } else if (format == BodyFormat.NDJSON) {
            what = "in record " + position.index + (location == null ? "" : " on line " + location.getLineNr());
        } else {
            what = "in record index " + position.index;
        }
        return "malformed JSON " + what + where + ": " + e.getOriginalMessage();
    }

    private static RuntimeException readFailure(JacksonIOException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ZipException || cause instanceof EOFException) {
            return new MalformedBodyException("the body is not valid gzip (Content-Encoding: gzip): "
                    + cause.getMessage(), e);
        }
        return new UncheckedIOException("could not read the request body",
                cause instanceof java.io.IOException io ? io : new java.io.IOException(e));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "a JSON object";
            case START_ARRAY -> "a JSON array";
            case END_OBJECT -> "'}'";
            case END_ARRAY -> "']'";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** Where the parser is, for error messages. */
    private static final class Position {
        int index;
        boolean afterEnd;
    }
}

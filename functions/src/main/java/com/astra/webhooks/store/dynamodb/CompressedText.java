package com.astra.webhooks.store.dynamodb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Long text (payloads, response bodies) stored gzip-compressed: DynamoDB bills writes per started
 * KB of the whole item, so a 4 KiB response body would make its dispatch cost five write units
 * instead of one. Short text stays a plain string ({@code name}); long text becomes a binary
 * attribute {@code name + "Gz"}, only when that is smaller.
 */
final class CompressedText {
    private CompressedText() {}

    /** Texts shorter than this are stored as they are: gzip's own header and trailer cost ~20 bytes. */
    static final int PLAIN_BELOW = 256;

    static void put(Map<String, AttributeValue> item, String name, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length >= PLAIN_BELOW) {
            byte[] zipped = gzip(plain);
            if (zipped.length < plain.length) {
                item.put(name + "Gz", AttributeValue.fromB(SdkBytes.fromByteArray(zipped)));
                return;
            }
        }
        item.put(name, AttributeValue.fromS(text));
    }

    /** The text under {@code name} in either form, or null. */
    static String get(Map<String, AttributeValue> item, String name) {
        AttributeValue plain = item.get(name);
        if (plain != null) {
            return plain.s();
        }
        AttributeValue zipped = item.get(name + "Gz");
        return zipped == null ? null : gunzip(zipped.b().asByteArray());
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] zipped) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(zipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("stored text is not valid gzip", e);
        }
    }
}

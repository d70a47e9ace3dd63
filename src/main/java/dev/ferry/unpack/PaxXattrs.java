package dev.ferry.unpack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entry's xattrs from its PAX records, in the two spellings tar writers use: GNU tar and Go's
 * archive/tar write {@code SCHILY.xattr.NAME=VALUE} with the value's bytes as they are;
 * libarchive (bsdtar) writes {@code LIBARCHIVE.xattr.NAME=BASE64} with NAME URL-encoded ("%XX"
 * for bytes outside printable ASCII and for '=' and '%') and the value base64-encoded, unpadded.
 * libarchive writes both for one xattr; the SCHILY value, exact bytes, is the one kept.
 */
final class PaxXattrs {

    static final String LIBARCHIVE_PREFIX = "LIBARCHIVE.xattr.";

    /** The xattrs by name, and the LIBARCHIVE records that do not decode (reported, not applied). */
    record Read(Map<String, byte[]> xattrs, List<String> unreadable) {
    }

    private PaxXattrs() {
    }

    /**
     * @param headers the entry's PAX records commons-compress left uninterpreted, values as text
     * @param raw SCHILY xattr values as the record's bytes, by name, where they were re-read raw
     */
    static Read of(Map<String, String> headers, Map<String, byte[]> raw) {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String key = header.getKey();
            if (key.startsWith(NodeMetadata.XATTR_PREFIX) && key.length() > NodeMetadata.XATTR_PREFIX.length()) {
                String name = key.substring(NodeMetadata.XATTR_PREFIX.length());
                byte[] value = raw.get(name);
                xattrs.put(name, value != null ? value : header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String key = header.getKey();
            if (!key.startsWith(LIBARCHIVE_PREFIX)) {
                continue;
            }
            String name = urlDecode(key.substring(LIBARCHIVE_PREFIX.length()));
            byte[] value = base64(header.getValue());
            if (name == null || value == null) {
                unreadable.add(key);
            } else {
                xattrs.putIfAbsent(name, value);
            }
        }
        return new Read(xattrs, unreadable);
    }

    /** "%XX" escapes undone (libarchive's url_decode); null when one is malformed or the name is empty or holds NUL. */
    private static String urlDecode(String encoded) {
        byte[] in = encoded.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '%') {
                out.write(in[i]);
                continue;
            }
            int high = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int low = high >= 0 ? Character.digit(in[i + 2], 16) : -1;
            if (low < 0) {
                return null;
            }
            out.write(high * 16 + low);
            i += 2;
        }
        byte[] name = out.toByteArray();
        for (byte b : name) {
            if (b == 0) {
                return null;
            }
        }
        return name.length == 0 ? null : new String(name, StandardCharsets.UTF_8);
    }

    /** Base64 with or without padding (libarchive writes none); null when it is not base64. */
    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

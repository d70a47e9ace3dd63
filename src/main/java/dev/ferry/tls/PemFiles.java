package dev.ferry.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a certificate directory: certificates, and unencrypted private keys in the
 * three forms openssl writes (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1
 * {@code EC PRIVATE KEY}). The JDK reads PKCS#8 only, so the other two are wrapped into it.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption and id-ecPublicKey, as DER-encoded OIDs. */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new CertDirectoryException(file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new CertDirectoryException(file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CertDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("ENCRYPTED")) {
                throw new CertDirectoryException(file + " is encrypted; ferry reads unencrypted keys "
                        + "(decrypt it with: openssl pkey -in KEY -out KEY.plain)");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new CertDirectoryException(file + " is not valid PEM", e);
            }
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> pkcs8(sequence(RSA_OID, new byte[] {0x05, 0x00}), der);
                case "EC PRIVATE KEY" -> pkcs8(sequence(EC_OID, namedCurve(file, der)), der);
                default -> null; // EC PARAMETERS and the like precede the key in some files
            };
            if (pkcs8 != null) {
                return decode(file, pkcs8);
            }
        }
        throw new CertDirectoryException(file + " holds no private key");
    }

    private static PrivateKey decode(Path file, byte[] pkcs8) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new CertDirectoryException(file + " holds a private key of a kind ferry cannot read");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    /** The curve OID from a SEC1 key's {@code [0] parameters}, which PKCS#8 carries in the algorithm. */
    private static byte[] namedCurve(Path file, byte[] sec1) {
        try {
            return findCurve(file, sec1);
        } catch (IndexOutOfBoundsException e) {
            throw new CertDirectoryException(file + " is not a valid SEC1 EC key", e);
        }
    }

    private static byte[] findCurve(Path file, byte[] sec1) {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new CertDirectoryException(file + " is not a SEC1 EC key");
        }
        int pos = outer.contentStart;
        while (pos < outer.end) {
            Der element = new Der(sec1, pos);
            if (element.tag == 0xa0) {
                Der oid = new Der(sec1, element.contentStart);
                return java.util.Arrays.copyOfRange(sec1, oid.start, oid.end);
            }
            pos = element.end;
        }
        throw new CertDirectoryException(file + " names no curve; convert it with: openssl pkcs8 -topk8 -nocrypt");
    }

    /** One DER element: its tag and where its header, content and end are. */
    private static final class Der {
        final int tag;
        final int start;
        final int contentStart;
        final int end;

        Der(byte[] b, int at) {
            start = at;
            tag = b[at] & 0xff;
            int length = b[at + 1] & 0xff;
            int pos = at + 2;
            if (length > 0x80) {
                int bytes = length & 0x7f;
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (b[pos++] & 0xff);
                }
            }
            contentStart = pos;
            end = pos + length;
        }
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package dev.initbench.localcloud.checksum;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The S3 checksum algorithms the local cloud computes and verifies. Each has its request/response header
 * ({@code x-amz-checksum-crc32}), its XML element ({@code ChecksumCRC32}) and the checksum types S3 allows it for
 * in a multipart upload: CRC64NVME only full-object, SHA-1 and SHA-256 only composite, the CRC-32s both.
 */
public enum ChecksumAlgorithm {
    CRC32(ChecksumType.COMPOSITE, true) {
        @Override
        public byte[] compute(byte[] data) {
            return crc(new CRC32(), data, 4);
        }
    },
    CRC32C(ChecksumType.COMPOSITE, true) {
        @Override
        public byte[] compute(byte[] data) {
            return crc(new CRC32C(), data, 4);
        }
    },
    CRC64NVME(ChecksumType.FULL_OBJECT, false) {
        @Override
        public byte[] compute(byte[] data) {
            return crc(new Crc64Nvme(), data, 8);
        }
    },
    SHA1(ChecksumType.COMPOSITE, false) {
        @Override
        public byte[] compute(byte[] data) {
            return digest("SHA-1", data);
        }
    },
    SHA256(ChecksumType.COMPOSITE, false) {
        @Override
        public byte[] compute(byte[] data) {
            return digest("SHA-256", data);
        }
    };

    /** Header suffixes under {@code x-amz-checksum-} that are not checksum values. */
    private static final Set<String> NON_VALUE_SUFFIXES = Set.of("algorithm", "mode", "type");

    private final ChecksumType defaultMultipartType;
    private final boolean supportsBothTypes;

    ChecksumAlgorithm(ChecksumType defaultMultipartType, boolean supportsBothTypes) {
        this.defaultMultipartType = defaultMultipartType;
        this.supportsBothTypes = supportsBothTypes;
    }

    /** The raw checksum of {@code data} (4, 8, 20 or 32 bytes, big-endian for the CRCs). */
    public abstract byte[] compute(byte[] data);

    /** The checksum of {@code data}, base64 as it travels in headers and XML. */
    public String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(compute(data));
    }

    /** {@code x-amz-checksum-crc32} and so on. */
    public String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** {@code ChecksumCRC32} and so on. */
    public String xmlElement() {
        return "Checksum" + name();
    }

    /** The type a multipart upload created with this algorithm and no {@code x-amz-checksum-type} gets. */
    public ChecksumType defaultMultipartType() {
        return defaultMultipartType;
    }

    public boolean supports(ChecksumType type) {
        return supportsBothTypes || type == defaultMultipartType;
    }

    /** The algorithm named {@code CRC32}, {@code crc32} ...; empty for any other name. */
    public static Optional<ChecksumAlgorithm> named(String name) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /**
     * The algorithm whose value a header named {@code x-amz-checksum-<suffix>} carries: empty for the headers that
     * carry no value ({@code -algorithm}, {@code -mode}, {@code -type}) and for any other name.
     *
     * @throws AwsServiceException {@code InvalidRequest} for the value header of an algorithm the local cloud does
     *                             not compute (e.g. {@code x-amz-checksum-sha512})
     */
    public static Optional<ChecksumAlgorithm> ofValueHeader(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (!name.startsWith("x-amz-checksum-")) {
            return Optional.empty();
        }
        String suffix = name.substring("x-amz-checksum-".length());
        if (NON_VALUE_SUFFIXES.contains(suffix)) {
            return Optional.empty();
        }
        return Optional.of(named(suffix).orElseThrow(() -> unsupported(suffix)));
    }

    private static byte[] crc(Checksum checksum, byte[] data, int bytes) {
        checksum.update(data, 0, data.length);
        ByteBuffer buffer = ByteBuffer.allocate(8).putLong(checksum.getValue());
        return Arrays.copyOfRange(buffer.array(), 8 - bytes, 8);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    /** {@code InvalidRequest} naming an algorithm S3 may know but the local cloud does not compute. */
    public static AwsServiceException unsupported(String algorithm) {
        return new AwsServiceException("InvalidRequest", 400, "Checksum algorithm '" + algorithm + "' is not "
                + "supported by the local cloud; use one of CRC32, CRC32C, CRC64NVME, SHA1 or SHA256.");
    }
}

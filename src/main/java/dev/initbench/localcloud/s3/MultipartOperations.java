package dev.initbench.localcloud.s3;

import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.checksum.ChecksumType;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.Xml;
import dev.initbench.localcloud.s3.ObjectStore.ObjectChecksum;
import dev.initbench.localcloud.s3.ObjectStore.PartMeta;
import dev.initbench.localcloud.s3.ObjectStore.Upload;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * S3's multipart upload operations: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts and ListMultipartUploads, with S3's part rules (part numbers 1 to 10,000, every
 * part but the last at least 5 MiB), its {@code <md5 of the part MD5s>-<part count>} ETag and its checksum types
 * (a {@code COMPOSITE} checksum is the checksum of the parts' checksums, rendered {@code <base64>-<part count>}; a
 * {@code FULL_OBJECT} one covers all the object's bytes).
 */
final class MultipartOperations {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    /** What an upload created without a checksum algorithm gets, as on S3 since its default data integrity. */
    private static final ChecksumAlgorithm DEFAULT_ALGORITHM = ChecksumAlgorithm.CRC64NVME;
    private static final int MAX_LISTED = 1000;

    private final CloudContext context;
    private final ObjectStore store;

    MultipartOperations(CloudContext context, ObjectStore store) {
        this.context = context;
        this.store = store;
    }

    /** {@code POST /bucket/key?uploads}. */
    AwsResponse create(AwsRequest request, String bucket, String key) {
        S3Service.rejectSubresources(request, Set.of("uploads", "x-id"));
        Optional<ChecksumAlgorithm> algorithm = request.header("x-amz-checksum-algorithm").map(name ->
                ChecksumAlgorithm.named(name).orElseThrow(() -> ChecksumAlgorithm.unsupported(name)));
        Optional<ChecksumType> requestedType = request.header("x-amz-checksum-type").map(MultipartOperations::type);
        if (requestedType.isPresent() && algorithm.isEmpty()) {
            throw invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm "
                    + "header.");
        }
        ChecksumType type = algorithm.map(a -> requestedType.orElse(a.defaultMultipartType())).orElse(null);
        if (algorithm.isPresent() && !algorithm.get().supports(type)) {
            throw invalidRequest("The " + type + " checksum type cannot be used with the "
                    + algorithm.get().name().toLowerCase(Locale.ROOT) + " checksum algorithm; "
                    + algorithm.get() + " supports " + (algorithm.get().supports(ChecksumType.COMPOSITE)
                    ? "COMPOSITE" : "FULL_OBJECT") + " only.");
        }
        Upload upload = store.createUpload(bucket, key, S3Service.contentType(request),
                S3Service.userMetadata(request), algorithm.orElse(null), type);
        StringBuilder xml = S3Service.xmlStart("InitiateMultipartUploadResult");
        Xml.element(xml, "Bucket", bucket);
        Xml.element(xml, "Key", key);
        Xml.element(xml, "UploadId", upload.uploadId());
        xml.append("</InitiateMultipartUploadResult>");
        AwsResponse response = S3Service.xmlResponse(xml).withHeader("x-amz-server-side-encryption", "AES256");
        if (algorithm.isPresent()) {
            response = response.withHeader("x-amz-checksum-algorithm", algorithm.get().name())
                    .withHeader("x-amz-checksum-type", type.name());
        }
        return response;
    }

    /** {@code PUT /bucket/key?partNumber=N&uploadId=ID}. */
    AwsResponse uploadPart(AwsRequest request, String bucket, String key) {
        if (request.header("x-amz-copy-source").isPresent()) {
            throw new NotEmulatedException("UploadPartCopy (x-amz-copy-source) is not emulated; upload "
                    + "the part's bytes with UploadPart");
        }
        S3Service.rejectSubresources(request, Set.of("partNumber", "uploadId", "x-id"));
        int partNumber = partNumber(request.queryParameter("partNumber").orElse(""));
        String uploadId = request.queryParameter("uploadId").orElseThrow();
        byte[] body = request.body();
        S3Service.verifyContentMd5(request, body);
        Optional<ChecksumAlgorithm> sent = S3Service.sentChecksum(request, body);
        Upload upload = store.upload(bucket, key, uploadId);
        // An upload created with an algorithm takes parts of that algorithm only, and a composite one needs each
        // part's checksum (it is made of them); one created without takes parts with any checksum or none.
        boolean wrongAlgorithm = sent.isPresent() && sent.get() != upload.algorithm();
        boolean missing = sent.isEmpty() && upload.checksumType() == ChecksumType.COMPOSITE;
        if (upload.algorithm() != null && (wrongAlgorithm || missing)) {
            throw invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                    + upload.algorithm().name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + sent.map(a -> a.name().toLowerCase(Locale.ROOT)).orElse("null") + " (the upload was created "
                    + "with " + upload.algorithm() + " " + upload.checksumType() + "; send each part with that "
                    + "algorithm).");
        }
        ChecksumAlgorithm partAlgorithm = effectiveAlgorithm(upload);
        String etag = HexFormat.of().formatHex(S3Service.md5(body));
        store.putPart(bucket, key, uploadId, partNumber, body, etag, partAlgorithm.base64(body));
        AwsResponse response = AwsResponse.empty(200).withHeader("ETag", S3Service.quoted(etag))
                .withHeader("x-amz-server-side-encryption", "AES256");
        ChecksumAlgorithm echoed = upload.algorithm() != null ? upload.algorithm() : sent.orElse(null);
        return echoed == null ? response : response.withHeader(echoed.headerName(), echoed.base64(body));
    }

    /** {@code POST /bucket/key?uploadId=ID} with a {@code CompleteMultipartUpload} document. */
    AwsResponse complete(AwsRequest request, String bucket, String key) {
        S3Service.rejectSubresources(request, Set.of("uploadId", "x-id"));
        String uploadId = request.queryParameter("uploadId").orElseThrow();
        Upload upload = store.upload(bucket, key, uploadId);
        List<RequestedPart> requested = requestedParts(request);
        List<PartMeta> chosen = chooseParts(upload, requested);
        long size = chosen.stream().mapToLong(PartMeta::size).sum();
        request.header("x-amz-mp-object-size").ifPresent(declared -> {
            if (!declared.trim().equals(Long.toString(size))) {
                throw invalidRequest("The provided 'x-amz-mp-object-size' header value " + declared.trim()
                        + " does not match what was computed: " + size + ".");
            }
        });
        ChecksumType type = upload.checksumType() == null ? ChecksumType.FULL_OBJECT : upload.checksumType();
        request.header("x-amz-checksum-type").map(MultipartOperations::type).ifPresent(sentType -> {
            if (sentType != type) {
                throw invalidRequest("The upload was created using the " + type + " checksum type. The complete "
                        + "request must use the same checksum type, not " + sentType + ".");
            }
        });
        ChecksumAlgorithm algorithm = effectiveAlgorithm(upload);
        Optional<String> sentObjectChecksum = sentObjectChecksum(request, algorithm);
        String etag = multipartEtag(chosen);
        ObjectStore.ObjectMeta meta = store.completeUpload(bucket, key, uploadId, chosen, etag, body -> {
            String value = type == ChecksumType.COMPOSITE ? composite(algorithm, chosen) : algorithm.base64(body);
            sentObjectChecksum.ifPresent(sent -> {
                if (!sent.equals(value) && !(sent + "-" + chosen.size()).equals(value)) {
                    throw new AwsServiceException("BadDigest", 400, "The " + algorithm + " you specified did not "
                            + "match the calculated checksum of the object.");
                }
            });
            return new ObjectChecksum(algorithm, type, value);
        });
        StringBuilder xml = S3Service.xmlStart("CompleteMultipartUploadResult");
        Xml.element(xml, "Location", context.endpoint() + "/" + bucket + "/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/"));
        Xml.element(xml, "Bucket", bucket);
        Xml.element(xml, "Key", key);
        Xml.element(xml, "ETag", S3Service.quoted(meta.etag()));
        Xml.element(xml, meta.checksum().algorithm().xmlElement(), meta.checksum().value());
        Xml.element(xml, "ChecksumType", meta.checksum().type());
        xml.append("</CompleteMultipartUploadResult>");
        return S3Service.xmlResponse(xml).withHeader("x-amz-server-side-encryption", "AES256");
    }

    /** {@code DELETE /bucket/key?uploadId=ID}. */
    AwsResponse abort(AwsRequest request, String bucket, String key) {
        S3Service.rejectSubresources(request, Set.of("uploadId", "x-id"));
        store.abortUpload(bucket, key, request.queryParameter("uploadId").orElseThrow());
        return AwsResponse.empty(204);
    }

    /** {@code GET /bucket/key?uploadId=ID}. */
    AwsResponse listParts(AwsRequest request, String bucket, String key) {
        S3Service.rejectSubresources(request, Set.of("uploadId", "max-parts", "part-number-marker", "x-id"));
        Upload upload = store.upload(bucket, key, request.queryParameter("uploadId").orElseThrow());
        int maxParts = request.queryParameter("max-parts").map(text -> Math.min(MAX_LISTED,
                nonNegative("max-parts", text))).orElse(MAX_LISTED);
        int marker = request.queryParameter("part-number-marker").map(text -> nonNegative("part-number-marker",
                text)).orElse(0);
        List<PartMeta> after = upload.parts().stream().filter(part -> part.partNumber() > marker).toList();
        List<PartMeta> page = after.subList(0, Math.min(maxParts, after.size()));
        boolean truncated = page.size() < after.size();
        ChecksumAlgorithm algorithm = effectiveAlgorithm(upload);

        StringBuilder xml = S3Service.xmlStart("ListPartsResult");
        Xml.element(xml, "Bucket", bucket);
        Xml.element(xml, "Key", key);
        Xml.element(xml, "UploadId", upload.uploadId());
        Xml.element(xml, "PartNumberMarker", marker);
        Xml.element(xml, "NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).partNumber());
        Xml.element(xml, "MaxParts", maxParts);
        Xml.element(xml, "IsTruncated", truncated);
        for (PartMeta part : page) {
            xml.append("<Part>");
            Xml.element(xml, "PartNumber", part.partNumber());
            Xml.element(xml, "LastModified", Instant.ofEpochMilli(part.lastModifiedMillis()));
            Xml.element(xml, "ETag", S3Service.quoted(part.etag()));
            Xml.element(xml, "Size", part.size());
            Xml.element(xml, algorithm.xmlElement(), part.checksum());
            xml.append("</Part>");
        }
        appendOwner(xml, "Initiator");
        appendOwner(xml, "Owner");
        Xml.element(xml, "StorageClass", "STANDARD");
        appendChecksumAlgorithm(xml, upload);
        xml.append("</ListPartsResult>");
        return S3Service.xmlResponse(xml);
    }

    /** {@code GET /bucket?uploads}. */
    AwsResponse listUploads(AwsRequest request, String bucket) {
        S3Service.rejectSubresources(request, Set.of("uploads", "prefix", "delimiter", "key-marker",
                "upload-id-marker", "max-uploads", "encoding-type"));
        String prefix = request.queryParameter("prefix").orElse("");
        String delimiter = request.queryParameter("delimiter").orElse("");
        String keyMarker = request.queryParameter("key-marker").orElse("");
        String uploadIdMarker = keyMarker.isEmpty() ? "" : request.queryParameter("upload-id-marker").orElse("");
        int maxUploads = request.queryParameter("max-uploads").map(text -> Math.min(MAX_LISTED,
                nonNegative("max-uploads", text))).orElse(MAX_LISTED);
        boolean urlEncoded = S3Service.urlEncoding(request);

        List<Upload> all = store.uploads(bucket);
        int start = firstAfterMarkers(all, keyMarker, uploadIdMarker);
        List<Upload> listed = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        String nextKey = null;
        String nextUploadId = null;
        boolean truncated = false;
        for (Upload upload : all.subList(start, all.size())) {
            if (!upload.key().startsWith(prefix)) {
                continue;
            }
            String commonPrefix = S3Service.commonPrefix(upload.key(), prefix, delimiter);
            if (commonPrefix != null && commonPrefixes.contains(commonPrefix)) {
                continue;
            }
            if (listed.size() + commonPrefixes.size() >= maxUploads) {
                truncated = true;
                break;
            }
            if (commonPrefix != null) {
                commonPrefixes.add(commonPrefix);
                nextKey = commonPrefix;
                nextUploadId = null;
            } else {
                listed.add(upload);
                nextKey = upload.key();
                nextUploadId = upload.uploadId();
            }
        }
        StringBuilder xml = S3Service.xmlStart("ListMultipartUploadsResult");
        Xml.element(xml, "Bucket", bucket);
        Xml.element(xml, "KeyMarker", S3Service.encodeKey(keyMarker, urlEncoded));
        Xml.element(xml, "UploadIdMarker", uploadIdMarker);
        if (truncated) {
            Xml.element(xml, "NextKeyMarker", S3Service.encodeKey(nextKey, urlEncoded));
            Xml.element(xml, "NextUploadIdMarker", nextUploadId == null ? "" : nextUploadId);
        }
        Xml.element(xml, "Prefix", S3Service.encodeKey(prefix, urlEncoded));
        if (!delimiter.isEmpty()) {
            Xml.element(xml, "Delimiter", S3Service.encodeKey(delimiter, urlEncoded));
        }
        Xml.element(xml, "MaxUploads", maxUploads);
        Xml.element(xml, "IsTruncated", truncated);
        if (urlEncoded) {
            Xml.element(xml, "EncodingType", "url");
        }
        for (Upload upload : listed) {
            xml.append("<Upload>");
            Xml.element(xml, "Key", S3Service.encodeKey(upload.key(), urlEncoded));
            Xml.element(xml, "UploadId", upload.uploadId());
            appendOwner(xml, "Initiator");
            appendOwner(xml, "Owner");
            Xml.element(xml, "StorageClass", "STANDARD");
            Xml.element(xml, "Initiated", Instant.ofEpochMilli(upload.initiatedMillis()));
            appendChecksumAlgorithm(xml, upload);
            xml.append("</Upload>");
        }
        for (String commonPrefix : commonPrefixes) {
            xml.append("<CommonPrefixes>");
            Xml.element(xml, "Prefix", S3Service.encodeKey(commonPrefix, urlEncoded));
            xml.append("</CommonPrefixes>");
        }
        xml.append("</ListMultipartUploadsResult>");
        return S3Service.xmlResponse(xml);
    }

    /**
     * Where the listing resumes in {@code all} (sorted by key, then initiation): after the upload the markers name,
     * or, with only a key marker (or an upload-id marker not found), after every upload of keys up to it.
     */
    private static int firstAfterMarkers(List<Upload> all, String keyMarker, String uploadIdMarker) {
        if (keyMarker.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).key().equals(keyMarker) && all.get(i).uploadId().equals(uploadIdMarker)) {
                return i + 1;
            }
        }
        int start = 0;
        while (start < all.size() && all.get(start).key().compareTo(keyMarker) <= 0) {
            start++;
        }
        return start;
    }

    /** A part as CompleteMultipartUpload names it. */
    private record RequestedPart(int partNumber, String etag, Map<ChecksumAlgorithm, String> checksums) {
    }

    private static List<RequestedPart> requestedParts(AwsRequest request) {
        Element root = Xml.parse(request.bodyText()).getDocumentElement();
        if (!"CompleteMultipartUpload".equals(root.getLocalName() == null ? root.getTagName() : root.getLocalName())) {
            throw malformed("the document element must be CompleteMultipartUpload, not " + root.getTagName());
        }
        List<RequestedPart> parts = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node node = children.item(i);
            if (node instanceof Element part && "Part".equals(part.getTagName())) {
                String number = Xml.childText(part, "PartNumber").trim();
                String etag = Xml.childText(part, "ETag").trim();
                if (number.isEmpty() || etag.isEmpty()) {
                    throw malformed("every Part needs a PartNumber and an ETag");
                }
                Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
                for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
                    String value = Xml.childText(part, algorithm.xmlElement()).trim();
                    if (!value.isEmpty()) {
                        checksums.put(algorithm, value);
                    }
                }
                parts.add(new RequestedPart(partNumber(number), unquoted(etag), checksums));
            }
        }
        if (parts.isEmpty()) {
            throw malformed("a CompleteMultipartUpload document must list at least one Part");
        }
        if (parts.size() > MAX_PARTS) {
            throw malformed("a CompleteMultipartUpload document lists at most " + MAX_PARTS + " parts, this one "
                    + parts.size());
        }
        return parts;
    }

    /** The uploaded parts the request names, checked against S3's rules, in the request's (ascending) order. */
    private static List<PartMeta> chooseParts(Upload upload, List<RequestedPart> requested) {
        Map<Integer, PartMeta> uploaded = new HashMap<>();
        upload.parts().forEach(part -> uploaded.put(part.partNumber(), part));
        ChecksumAlgorithm algorithm = effectiveAlgorithm(upload);
        List<PartMeta> chosen = new ArrayList<>();
        int previous = 0;
        for (RequestedPart part : requested) {
            if (part.partNumber() <= previous) {
                throw new AwsServiceException("InvalidPartOrder", 400, "The list of parts was not in ascending "
                        + "order. Parts must be ordered by part number: part " + part.partNumber() + " follows part "
                        + previous + ".");
            }
            previous = part.partNumber();
            PartMeta stored = uploaded.get(part.partNumber());
            if (stored == null || !stored.etag().equals(part.etag())) {
                throw invalidPart("part " + part.partNumber() + (stored == null ? " was not uploaded"
                        : " has ETag \"" + stored.etag() + "\", not \"" + part.etag() + "\""));
            }
            // Without an algorithm of its own the upload has only the default checksum of its parts; the part
            // checksums a client sent along were verified when the parts arrived.
            Map<ChecksumAlgorithm, String> checksums = upload.algorithm() == null ? Map.of() : part.checksums();
            for (Map.Entry<ChecksumAlgorithm, String> checksum : checksums.entrySet()) {
                if (checksum.getKey() != algorithm) {
                    throw invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                            + algorithm.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                            + checksum.getKey().name().toLowerCase(Locale.ROOT) + " (part " + part.partNumber()
                            + ").");
                }
                if (!checksum.getValue().equals(stored.checksum())) {
                    throw invalidPart("the " + algorithm + " given for part " + part.partNumber() + " is not the "
                            + "part's checksum");
                }
            }
            if (upload.checksumType() == ChecksumType.COMPOSITE && !part.checksums().containsKey(algorithm)) {
                throw invalidRequest("The upload was created using a " + algorithm.name().toLowerCase(Locale.ROOT)
                        + " checksum. The complete request must include the checksum for each part. It was missing"
                        + " for part " + part.partNumber() + " in the request.");
            }
            chosen.add(stored);
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
            if (chosen.get(i).size() < MIN_PART_SIZE) {
                throw new AwsServiceException("EntityTooSmall", 400, "Your proposed upload is smaller than the "
                        + "minimum allowed object size: part " + chosen.get(i).partNumber() + " has "
                        + chosen.get(i).size() + " bytes, and every part but the last must have at least "
                        + MIN_PART_SIZE + " bytes (5 MiB).");
            }
        }
        return chosen;
    }

    /** The object checksum sent in a CompleteMultipartUpload header, which must be of the upload's algorithm. */
    private static Optional<String> sentObjectChecksum(AwsRequest request, ChecksumAlgorithm algorithm) {
        Optional<String> sent = Optional.empty();
        for (String name : request.headers().keySet()) {
            Optional<ChecksumAlgorithm> named = ChecksumAlgorithm.ofValueHeader(name);
            if (named.isPresent()) {
                if (named.get() != algorithm) {
                    throw invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                            + algorithm.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                            + named.get().name().toLowerCase(Locale.ROOT) + " (" + name + ").");
                }
                sent = request.header(name).map(String::trim);
            }
        }
        return sent;
    }

    /** The checksum of the parts' binary checksums, then {@code -<part count>}. */
    private static String composite(ChecksumAlgorithm algorithm, List<PartMeta> parts) {
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        parts.forEach(part -> concatenated.writeBytes(Base64.getDecoder().decode(part.checksum())));
        return algorithm.base64(concatenated.toByteArray()) + "-" + parts.size();
    }

    /** The MD5 of the parts' binary MD5s, hex, then {@code -<part count>}. */
    private static String multipartEtag(List<PartMeta> parts) {
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        parts.forEach(part -> concatenated.writeBytes(HexFormat.of().parseHex(part.etag())));
        return HexFormat.of().formatHex(S3Service.md5(concatenated.toByteArray())) + "-" + parts.size();
    }

    private static ChecksumAlgorithm effectiveAlgorithm(Upload upload) {
        return upload.algorithm() == null ? DEFAULT_ALGORITHM : upload.algorithm();
    }

    private void appendOwner(StringBuilder xml, String element) {
        xml.append('<').append(element).append('>');
        Xml.element(xml, "ID", context.accountId());
        Xml.element(xml, "DisplayName", "local");
        xml.append("</").append(element).append('>');
    }

    private static void appendChecksumAlgorithm(StringBuilder xml, Upload upload) {
        if (upload.algorithm() != null) {
            Xml.element(xml, "ChecksumAlgorithm", upload.algorithm());
            Xml.element(xml, "ChecksumType", upload.checksumType());
        }
    }

    static int partNumber(String text) {
        try {
            int number = Integer.parseInt(text.trim());
            if (number >= 1 && number <= MAX_PARTS) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AwsServiceException("InvalidArgument", 400, "Part number must be an integer between 1 and "
                + MAX_PARTS + ", inclusive: got '" + text + "'.");
    }

    private static int nonNegative(String parameter, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AwsServiceException("InvalidArgument", 400, "Provided " + parameter + " not an integer or within "
                + "integer range: '" + text + "'.");
    }

    private static ChecksumType type(String text) {
        try {
            return ChecksumType.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalidRequest("Value for x-amz-checksum-type header is invalid: '" + text + "'; use COMPOSITE or "
                    + "FULL_OBJECT.");
        }
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static AwsServiceException invalidPart(String detail) {
        return new AwsServiceException("InvalidPart", 400, "One or more of the specified parts could not be found. "
                + "The part may not have been uploaded, or the specified entity tag may not match the part's entity "
                + "tag: " + detail + ".");
    }

    private static AwsServiceException invalidRequest(String message) {
        return new AwsServiceException("InvalidRequest", 400, message);
    }

    private static AwsServiceException malformed(String detail) {
        return new AwsServiceException("MalformedXML", 400, "The XML you provided was not well-formed or did not "
                + "validate against our published schema: " + detail + ".");
    }
}

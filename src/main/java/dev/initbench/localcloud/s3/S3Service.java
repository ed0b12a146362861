package dev.initbench.localcloud.s3;

import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.checksum.ChecksumType;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.PageTokens;
import dev.initbench.localcloud.protocol.RestService;
import dev.initbench.localcloud.protocol.Xml;
import dev.initbench.localcloud.s3.ObjectStore.BucketInfo;
import dev.initbench.localcloud.s3.ObjectStore.ObjectChecksum;
import dev.initbench.localcloud.s3.ObjectStore.ObjectMeta;
import dev.initbench.localcloud.s3.ObjectStore.StoredObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 over restXml, path-style ({@code /bucket/key}) and virtual-host-style ({@code Host: bucket.127.0.0.1:port} or
 * {@code bucket.localhost}): ListBuckets, CreateBucket, HeadBucket, GetBucketLocation, DeleteBucket, bucket tagging,
 * PutObject, GetObject (a single byte range or part number included), HeadObject, DeleteObject, ListObjectsV2, and
 * the multipart upload operations ({@link MultipartOperations}).
 */
public final class S3Service implements RestService, ObjectReader {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    /** Query parameters a bucket GET may carry; any other (e.g. {@code ?acl}) selects a sub-resource not emulated. */
    private static final Set<String> EMULATED_BUCKET_GET_PARAMETERS = Set.of("list-type", "prefix", "delimiter",
            "max-keys", "continuation-token", "start-after", "encoding-type", "fetch-owner", "location");
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final PageTokens PAGE_TOKENS = new PageTokens(token -> new AwsServiceException("InvalidArgument",
            400, "The continuation token provided is incorrect: '" + token + "'; pass NextContinuationToken of the "
                    + "previous response unchanged."));

    /** What an object uploaded without a checksum gets, as on S3 since its default data integrity. */
    private static final ChecksumAlgorithm DEFAULT_CHECKSUM = ChecksumAlgorithm.CRC64NVME;

    private final CloudContext context;
    private final ObjectStore store;
    private final MultipartOperations multipart;

    public S3Service(CloudContext context, ObjectStore store) {
        this.context = context;
        this.store = store;
        this.multipart = new MultipartOperations(context, store);
    }

    @Override
    public byte[] getObject(String bucket, String key) {
        return store.get(bucket, key).body();
    }

    /** The bucket and key a request addresses; either may be empty. */
    private record Target(String bucket, String key) {
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        Target target = target(request);
        if (target.bucket().isEmpty()) {
            if ("GET".equals(request.method())) {
                return listBuckets();
            }
            throw new NotEmulatedException("only ListBuckets (GET /) is served without a bucket");
        }
        if (target.key().isEmpty()) {
            return switch (request.method()) {
                case "PUT" -> request.query().containsKey("tagging") ? putBucketTagging(request, target.bucket())
                        : createBucket(request, target.bucket());
                case "HEAD" -> headBucket(target.bucket());
                case "DELETE" -> request.query().containsKey("tagging") ? deleteBucketTagging(target.bucket())
                        : deleteBucket(request, target.bucket());
                case "GET" -> request.query().containsKey("tagging") ? getBucketTagging(target.bucket())
                        : request.query().containsKey("uploads") ? multipart.listUploads(request, target.bucket())
                        : getBucket(request, target.bucket());
                default -> throw new NotEmulatedException();
            };
        }
        String bucket = target.bucket();
        String key = target.key();
        boolean inUpload = request.query().containsKey("uploadId");
        return switch (request.method()) {
            case "PUT" -> inUpload || request.query().containsKey("partNumber")
                    ? multipart.uploadPart(requireUploadId(request), bucket, key) : putObject(request, target);
            case "GET" -> inUpload ? multipart.listParts(request, bucket, key) : getObject(request, target, true);
            case "HEAD" -> getObject(request, target, false);
            case "DELETE" -> inUpload ? multipart.abort(request, bucket, key) : deleteObject(request, target);
            case "POST" -> {
                if (request.query().containsKey("uploads")) {
                    yield multipart.create(request, bucket, key);
                }
                if (inUpload) {
                    yield multipart.complete(request, bucket, key);
                }
                throw new NotEmulatedException("POST on an object is served for CreateMultipartUpload "
                        + "(?uploads) and CompleteMultipartUpload (?uploadId) only");
            }
            default -> throw new NotEmulatedException();
        };
    }

    private static AwsRequest requireUploadId(AwsRequest request) {
        if (request.queryParameter("uploadId").isEmpty()) {
            throw new AwsServiceException("InvalidRequest", 400, "UploadPart needs both partNumber and uploadId "
                    + "query parameters; this request has no uploadId.");
        }
        return request;
    }

    /**
     * Virtual-host style when the Host is {@code <bucket>.<endpoint host>} or {@code <bucket>.localhost}; path
     * style otherwise.
     */
    private Target target(AwsRequest request) {
        String host = request.header("host").orElse("").toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        String endpointHost = context.endpoint().getHost();
        for (String suffix : List.of("." + endpointHost, ".localhost")) {
            if (host.endsWith(suffix) && host.length() > suffix.length() && !IP_ADDRESS.matcher(host).matches()) {
                return new Target(host.substring(0, host.length() - suffix.length()), request.path().substring(1));
            }
        }
        String path = request.path().substring(1);
        int slash = path.indexOf('/');
        return slash < 0 ? new Target(path, "") : new Target(path.substring(0, slash), path.substring(slash + 1));
    }

    private AwsResponse listBuckets() {
        StringBuilder xml = xmlStart("ListAllMyBucketsResult");
        xml.append("<Owner>");
        Xml.element(xml, "ID", context.accountId());
        xml.append("</Owner><Buckets>");
        for (BucketInfo bucket : store.buckets()) {
            xml.append("<Bucket>");
            Xml.element(xml, "Name", bucket.name());
            Xml.element(xml, "CreationDate", Instant.ofEpochMilli(bucket.creationMillis()));
            Xml.element(xml, "BucketRegion", bucket.region());
            xml.append("</Bucket>");
        }
        xml.append("</Buckets></ListAllMyBucketsResult>");
        return xmlResponse(xml);
    }

    private AwsResponse createBucket(AwsRequest request, String bucket) {
        rejectSubresources(request, Set.of());
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()) {
            throw new AwsServiceException("InvalidBucketName", 400, "The specified bucket is not valid: '" + bucket
                    + "'. Bucket names are 3-63 characters of lower-case letters, digits, dots and hyphens, "
                    + "beginning and ending with a letter or digit.");
        }
        String constraint = locationConstraint(request);
        boolean defaultRegion = "us-east-1".equals(context.region());
        if (defaultRegion ? !constraint.isEmpty() : !constraint.equals(context.region())) {
            throw new AwsServiceException(defaultRegion ? "InvalidLocationConstraint" : "IllegalLocationConstraintException",
                    400, "The " + (constraint.isEmpty() ? "unspecified" : constraint) + " location constraint is "
                    + "incompatible for the region specific endpoint this request was sent to (" + context.region()
                    + "): " + (defaultRegion ? "omit CreateBucketConfiguration." : "set LocationConstraint to "
                    + context.region() + "."));
        }
        if (!store.createBucket(bucket, context.region()) && !defaultRegion) {
            throw new AwsServiceException("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named "
                    + "bucket succeeded and you already own it: " + bucket);
        }
        return AwsResponse.empty(200).withHeader("Location", "/" + bucket);
    }

    /** PutBucketTagging: the body is {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}; 204 like AWS. */
    private AwsResponse putBucketTagging(AwsRequest request, String bucket) {
        Map<String, String> tags = new LinkedHashMap<>();
        org.w3c.dom.NodeList tagElements = Xml.parse(request.bodyText()).getElementsByTagName("Tag");
        for (int i = 0; i < tagElements.getLength(); i++) {
            org.w3c.dom.Element tag = (org.w3c.dom.Element) tagElements.item(i);
            String key = Xml.childText(tag, "Key");
            if (tags.put(key, Xml.childText(tag, "Value")) != null) {
                throw new AwsServiceException("InvalidTag", 400, "Cannot provide multiple Tags with the same key: "
                        + key);
            }
        }
        store.putBucketTags(bucket, tags);
        return AwsResponse.empty(204);
    }

    private AwsResponse getBucketTagging(String bucket) {
        Map<String, String> tags = store.bucketTags(bucket);
        if (tags.isEmpty()) {
            throw new AwsServiceException("NoSuchTagSet", 404, "The TagSet does not exist: bucket " + bucket
                    + " has no tags.");
        }
        StringBuilder xml = xmlStart("Tagging");
        xml.append("<TagSet>");
        tags.forEach((key, value) -> {
            xml.append("<Tag>");
            Xml.element(xml, "Key", key);
            Xml.element(xml, "Value", value);
            xml.append("</Tag>");
        });
        xml.append("</TagSet></Tagging>");
        return xmlResponse(xml);
    }

    private AwsResponse deleteBucketTagging(String bucket) {
        store.putBucketTags(bucket, Map.of());
        return AwsResponse.empty(204);
    }

    private static String locationConstraint(AwsRequest request) {
        Matcher matcher = Pattern.compile("<LocationConstraint>([^<]*)</LocationConstraint>").matcher(request.bodyText());
        return matcher.find() ? matcher.group(1).trim() : "";
    }

    private AwsResponse headBucket(String bucket) {
        BucketInfo info = store.bucket(bucket).orElseThrow(() -> noSuchBucket(bucket));
        return AwsResponse.empty(200).withHeader("x-amz-bucket-region", info.region());
    }

    private AwsResponse deleteBucket(AwsRequest request, String bucket) {
        rejectSubresources(request, Set.of());
        store.deleteBucket(bucket);
        return AwsResponse.empty(204);
    }

    private AwsResponse getBucket(AwsRequest request, String bucket) {
        rejectSubresources(request, EMULATED_BUCKET_GET_PARAMETERS);
        if (request.query().containsKey("location")) {
            BucketInfo info = store.bucket(bucket).orElseThrow(() -> noSuchBucket(bucket));
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"")
                    .append(NAMESPACE).append("\">")
                    .append("us-east-1".equals(info.region()) ? "" : Xml.escape(info.region()))
                    .append("</LocationConstraint>");
            return xmlResponse(xml);
        }
        if (!"2".equals(request.queryParameter("list-type").orElse(null))) {
            throw new NotEmulatedException("ListObjects (v1) is not emulated; use ListObjectsV2 "
                    + "(list-type=2)");
        }
        return listObjectsV2(request, bucket);
    }

    private AwsResponse listObjectsV2(AwsRequest request, String bucket) {
        String prefix = request.queryParameter("prefix").orElse("");
        String delimiter = request.queryParameter("delimiter").orElse("");
        String startAfter = request.queryParameter("start-after").orElse("");
        boolean urlEncoded = urlEncoding(request);
        int maxKeys = request.queryParameter("max-keys").map(S3Service::maxKeys).orElse(1000);
        String token = request.queryParameter("continuation-token").orElse(null);
        String after = token != null ? PAGE_TOKENS.key("ListObjectsV2 " + bucket, token) : startAfter;
        store.bucket(bucket).orElseThrow(() -> noSuchBucket(bucket));

        List<ObjectMeta> contents = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        String last = null;
        boolean truncated = false;
        for (ObjectMeta object : store.objectsAfter(bucket, after, prefix)) {
            String commonPrefix = commonPrefix(object.key(), prefix, delimiter);
            if (commonPrefix != null && commonPrefixes.contains(commonPrefix)) {
                continue;
            }
            if (after.endsWith(delimiter) && !delimiter.isEmpty() && object.key().startsWith(after)
                    && token != null) {
                continue;
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (commonPrefix != null) {
                commonPrefixes.add(commonPrefix);
                last = commonPrefix;
            } else {
                contents.add(object);
                last = object.key();
            }
        }
        StringBuilder xml = xmlStart("ListBucketResult");
        Xml.element(xml, "Name", bucket);
        Xml.element(xml, "Prefix", encodeKey(prefix, urlEncoded));
        if (!delimiter.isEmpty()) {
            Xml.element(xml, "Delimiter", encodeKey(delimiter, urlEncoded));
        }
        Xml.element(xml, "MaxKeys", maxKeys);
        Xml.element(xml, "KeyCount", contents.size() + commonPrefixes.size());
        Xml.element(xml, "IsTruncated", truncated);
        if (urlEncoded) {
            Xml.element(xml, "EncodingType", "url");
        }
        if (token != null) {
            Xml.element(xml, "ContinuationToken", token);
        }
        if (truncated) {
            Xml.element(xml, "NextContinuationToken", PAGE_TOKENS.keyToken("ListObjectsV2 " + bucket, last));
        }
        if (!startAfter.isEmpty()) {
            Xml.element(xml, "StartAfter", encodeKey(startAfter, urlEncoded));
        }
        boolean fetchOwner = "true".equals(request.queryParameter("fetch-owner").orElse(null));
        for (ObjectMeta object : contents) {
            xml.append("<Contents>");
            Xml.element(xml, "Key", encodeKey(object.key(), urlEncoded));
            Xml.element(xml, "LastModified", Instant.ofEpochMilli(object.lastModifiedMillis()));
            Xml.element(xml, "ETag", quoted(object.etag()));
            if (object.checksum() != null) {
                Xml.element(xml, "ChecksumAlgorithm", object.checksum().algorithm());
                Xml.element(xml, "ChecksumType", object.checksum().type());
            }
            Xml.element(xml, "Size", object.size());
            if (fetchOwner) {
                xml.append("<Owner>");
                Xml.element(xml, "ID", context.accountId());
                xml.append("</Owner>");
            }
            Xml.element(xml, "StorageClass", "STANDARD");
            xml.append("</Contents>");
        }
        for (String commonPrefix : commonPrefixes) {
            xml.append("<CommonPrefixes>");
            Xml.element(xml, "Prefix", encodeKey(commonPrefix, urlEncoded));
            xml.append("</CommonPrefixes>");
        }
        xml.append("</ListBucketResult>");
        return xmlResponse(xml);
    }

    /** Whether the listing is asked for with {@code encoding-type=url}; any other encoding is refused. */
    static boolean urlEncoding(AwsRequest request) {
        return request.queryParameter("encoding-type").map(e -> {
            if (!"url".equals(e)) {
                throw new AwsServiceException("InvalidArgument", 400, "Invalid Encoding Method specified in "
                        + "Request: encoding-type must be 'url', got '" + e + "'.");
            }
            return true;
        }).orElse(false);
    }

    private static int maxKeys(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw new NumberFormatException(text);
            }
            return Math.min(value, 1000);
        } catch (NumberFormatException e) {
            throw new AwsServiceException("InvalidArgument", 400, "Provided max-keys not an integer or within "
                    + "integer range: '" + text + "'.");
        }
    }

    /** The common prefix a key rolls up into under {@code delimiter}, or null when it is listed itself. */
    static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter.isEmpty()) {
            return null;
        }
        int index = key.indexOf(delimiter, prefix.length());
        return index < 0 ? null : key.substring(0, index + delimiter.length());
    }

    static String encodeKey(String key, boolean urlEncoded) {
        return urlEncoded ? URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20") : key;
    }

    private AwsResponse putObject(AwsRequest request, Target target) {
        if (request.header("x-amz-copy-source").isPresent()) {
            throw new NotEmulatedException("CopyObject (x-amz-copy-source) is not emulated");
        }
        rejectSubresources(request, Set.of("x-id"));
        byte[] body = request.body();
        verifyContentMd5(request, body);
        ChecksumAlgorithm algorithm = sentChecksum(request, body).orElse(DEFAULT_CHECKSUM);
        ObjectChecksum checksum = new ObjectChecksum(algorithm, ChecksumType.FULL_OBJECT, algorithm.base64(body));
        String etag = HexFormat.of().formatHex(md5(body));
        store.put(target.bucket(), target.key(), body, etag, contentType(request), userMetadata(request), checksum);
        return AwsResponse.empty(200).withHeader("ETag", quoted(etag))
                .withHeader("x-amz-server-side-encryption", "AES256")
                .withHeader(algorithm.headerName(), checksum.value())
                .withHeader("x-amz-checksum-type", checksum.type().name());
    }

    static String contentType(AwsRequest request) {
        return request.header("content-type").orElse(DEFAULT_CONTENT_TYPE);
    }

    /** The {@code x-amz-meta-*} headers, without the prefix. */
    static Map<String, String> userMetadata(AwsRequest request) {
        Map<String, String> userMetadata = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-amz-meta-")) {
                userMetadata.put(name.substring("x-amz-meta-".length()), values.get(0));
            }
        });
        return userMetadata;
    }

    static void verifyContentMd5(AwsRequest request, byte[] body) {
        request.header("content-md5").ifPresent(sent -> {
            if (!Base64.getEncoder().encodeToString(md5(body)).equals(sent.trim())) {
                throw new AwsServiceException("BadDigest", 400, "The Content-MD5 you specified did not match what "
                        + "we received.");
            }
        });
    }

    /**
     * The checksum algorithm the body was sent with: an {@code x-amz-checksum-<algorithm>} header, whose value is
     * verified here; a trailer announced in {@code x-amz-trailer} (the endpoint verified its value while decoding
     * the aws-chunked body); or the SDK's {@code x-amz-sdk-checksum-algorithm}. Empty when the body came without.
     */
    static Optional<ChecksumAlgorithm> sentChecksum(AwsRequest request, byte[] body) {
        List<ChecksumAlgorithm> inHeaders = new ArrayList<>();
        request.headers().forEach((name, values) -> ChecksumAlgorithm.ofValueHeader(name).ifPresent(algorithm -> {
            if (!algorithm.base64(body).equals(values.get(0).trim())) {
                throw new AwsServiceException("BadDigest", 400, "The " + algorithm + " you specified did not match "
                        + "the calculated checksum.");
            }
            inHeaders.add(algorithm);
        }));
        if (inHeaders.size() > 1) {
            throw new AwsServiceException("InvalidRequest", 400, "Expecting a single x-amz-checksum- header. "
                    + "Multiple checksum Types are not allowed: got " + inHeaders + ".");
        }
        if (!inHeaders.isEmpty()) {
            return Optional.of(inHeaders.get(0));
        }
        Optional<ChecksumAlgorithm> trailer = request.header("x-amz-trailer")
                .flatMap(name -> ChecksumAlgorithm.ofValueHeader(name.trim()));
        if (trailer.isPresent()) {
            return trailer;
        }
        return request.header("x-amz-sdk-checksum-algorithm").map(name -> ChecksumAlgorithm.named(name)
                .orElseThrow(() -> ChecksumAlgorithm.unsupported(name)));
    }

    private AwsResponse getObject(AwsRequest request, Target target, boolean withBody) {
        rejectSubresources(request, Set.of("x-id", "partNumber"));
        StoredObject object = store.get(target.bucket(), target.key());
        ObjectMeta meta = object.meta();
        byte[] body = object.body();
        int status = 200;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", meta.contentType());
        headers.put("ETag", quoted(meta.etag()));
        headers.put("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(meta.lastModifiedMillis())));
        headers.put("Accept-Ranges", "bytes");
        headers.put("x-amz-server-side-encryption", "AES256");
        meta.userMetadata().forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        var range = request.header("range");
        var partNumber = request.queryParameter("partNumber").map(MultipartOperations::partNumber);
        if (range.isPresent() && partNumber.isPresent()) {
            throw new AwsServiceException("InvalidRequest", 400, "Cannot specify both Range header and partNumber "
                    + "query parameter.");
        }
        long[] bounds = range.map(header -> range(header, body.length)).orElse(null);
        if (partNumber.isPresent()) {
            bounds = partBounds(meta, partNumber.get());
            headers.put("x-amz-mp-parts-count", Integer.toString(Math.max(1, meta.partSizes().size())));
        }
        if (bounds != null) {
            headers.put("Content-Range", "bytes " + bounds[0] + "-" + bounds[1] + "/" + body.length);
            status = 206;
        } else if (meta.checksum() != null
                && "ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode").orElse(""))) {
            headers.put(meta.checksum().algorithm().headerName(), meta.checksum().value());
            headers.put("x-amz-checksum-type", meta.checksum().type().name());
        }
        byte[] sent = bounds == null ? body : java.util.Arrays.copyOfRange(body, (int) bounds[0], (int) bounds[1] + 1);
        headers.put("Content-Length", Integer.toString(sent.length));
        return new AwsResponse(status, headers, withBody ? sent : new byte[0]);
    }

    /**
     * The inclusive byte bounds of part {@code number} of a multipart object; a single-part object is its own part
     * 1. Null when that part is the whole object (no Content-Range then).
     */
    private static long[] partBounds(ObjectMeta meta, int number) {
        List<Long> sizes = meta.partSizes().isEmpty() ? List.of(meta.size()) : meta.partSizes();
        if (number > sizes.size()) {
            throw new AwsServiceException("InvalidPartNumber", 416, "The requested partnumber is not satisfiable: "
                    + "the object has " + sizes.size() + " part(s), part " + number + " was asked for.");
        }
        if (meta.partSizes().isEmpty() || meta.size() == 0) {
            return null;
        }
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += sizes.get(i);
        }
        return new long[] {first, first + sizes.get(number - 1) - 1};
    }

    /** A single {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} range as inclusive bounds. */
    private static long[] range(String header, long size) {
        Matcher matcher = RANGE.matcher(header.trim());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            throw new AwsServiceException("InvalidArgument", 400, "Range '" + header + "' is not emulated: use one "
                    + "range of the form bytes=first-last, bytes=first- or bytes=-suffixLength.");
        }
        long first;
        long last;
        if (matcher.group(1).isEmpty()) {
            first = Math.max(0, size - Long.parseLong(matcher.group(2)));
            last = size - 1;
        } else {
            first = Long.parseLong(matcher.group(1));
            last = matcher.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(matcher.group(2)));
        }
        if (first >= size || first > last) {
            throw new AwsServiceException("InvalidRange", 416, "The requested range is not satisfiable: " + header
                    + " for an object of " + size + " bytes.");
        }
        return new long[] {first, last};
    }

    private AwsResponse deleteObject(AwsRequest request, Target target) {
        rejectSubresources(request, Set.of("x-id"));
        store.delete(target.bucket(), target.key());
        return AwsResponse.empty(204);
    }

    /** Query parameters other than the allowed ones select sub-resources (acl, tagging, uploads ...) not emulated. */
    static void rejectSubresources(AwsRequest request, Set<String> allowed) {
        for (String name : request.query().keySet()) {
            if (!allowed.contains(name)) {
                throw new NotEmulatedException("the sub-resource or parameter '" + name + "' is not emulated");
            }
        }
    }

    static StringBuilder xmlStart(String root) {
        return new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append(" xmlns=\"")
                .append(NAMESPACE).append("\">");
    }

    static AwsResponse xmlResponse(StringBuilder xml) {
        return AwsResponse.of(200, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static AwsServiceException noSuchBucket(String bucket) {
        return new AwsServiceException("NoSuchBucket", 404, "The specified bucket does not exist: " + bucket);
    }

    static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}

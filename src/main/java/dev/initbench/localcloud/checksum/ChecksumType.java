package dev.initbench.localcloud.checksum;

/**
 * How a multipart object's checksum is formed ({@code x-amz-checksum-type}): over all its bytes, or as the checksum
 * of its parts' checksums (rendered {@code <base64>-<part count>}). A single-part upload is always
 * {@code FULL_OBJECT}.
 */
public enum ChecksumType {
    COMPOSITE,
    FULL_OBJECT
}

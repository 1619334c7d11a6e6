package io.eventlake.local.stack;

import java.io.InputStream;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes a PUT with {@code If-Match} atomic, as on S3. S3Proxy 4.1 checks the ETag in its HTTP handler, before it
 * reads the body, and its filesystem store then writes without looking again: two writers naming the same ETag can
 * both succeed, the later one silently replacing the earlier. The S3 sink's fencing rests on exactly one of them
 * winning (a task that lost its partition must not overwrite its successor's checkpoint), and its rebalance ITs
 * lost records on this store when the race hit. This store checks the ETag again, and writes, under a lock of the
 * key; every other write and delete of the key takes the same lock.
 */
final class AtomicConditionalWrites extends ForwardingBlobStore {

    private static final int STRIPES = 256;
    private static final int PRECONDITION_FAILED = 412;

    private final Object[] locks = new Object[STRIPES];

    AtomicConditionalWrites(BlobStore delegate) {
        super(delegate);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private Object lockOf(String bucket, String key) {
        return locks[Math.floorMod((bucket + '/' + key).hashCode(), STRIPES)];
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        synchronized (lockOf(request.bucket(), request.key())) {
            String expected = request.ifMatch();
            if (expected != null) {
                HeadObjectResponse current = delegate().blobMetadataIfPresent(request.bucket(), request.key());
                if (current == null || !"*".equals(expected.trim()) && !sameETag(current.eTag(), expected)) {
                    throw S3Exceptions.fromStatusCode(PRECONDITION_FAILED);
                }
            }
            return super.putBlob(request, payload);
        }
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        synchronized (lockOf(request.bucket(), request.key())) {
            return super.removeBlob(request);
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        synchronized (lockOf(upload.containerName(), upload.blobName())) {
            return super.completeMultipartUpload(upload, request);
        }
    }

    static boolean sameETag(String a, String b) {
        return a != null && b != null && unquoted(a).equals(unquoted(b));
    }

    private static String unquoted(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}

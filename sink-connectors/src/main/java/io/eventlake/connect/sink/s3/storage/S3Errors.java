package io.eventlake.connect.sink.s3.storage;

import org.apache.kafka.connect.errors.ConnectException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an SDK failure, after the client's own retries, into the exception the sink acts on: a failed condition,
 * a fault worth retrying later, or a permanent error whose message says what to fix.
 */
final class S3Errors {

    private S3Errors() {
    }

    static ConnectException translate(String operation, String bucket, String key, SdkException e) {
        String where = "s3://" + bucket + (key == null ? "" : "/" + key);
        String what = "cannot " + operation + " " + where + ": ";
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().errorCode());
            if (status == 412 || status == 409 && "ConditionalRequestConflict".equals(code)) {
                return new PreconditionFailedException(what + "precondition failed (" + code + ")", e);
            }
            if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
                return new RetriableStorageException(what + status + " " + code + " (still failing after the S3 "
                    + "client's retries; the sink keeps its data and tries again)", e);
            }
            return new StorageException(what + permanentHint(status, code, bucket) + " [HTTP " + status + " " + code
                + "]", e);
        }
        // Connection refused or reset, timeouts, DNS: the client never got an answer.
        return new RetriableStorageException(what + "no answer from the S3 endpoint: " + e.getMessage(), e);
    }

    static String permanentHint(int status, String code, String bucket) {
        switch (code) {
            case "NoSuchBucket":
                return "no such bucket '" + bucket + "'; create it, or fix s3.bucket.name";
            case "InvalidAccessKeyId":
                return "the access key id is not known to the server; fix aws.access.key.id";
            case "SignatureDoesNotMatch":
                return "the secret access key does not match the access key id; fix aws.secret.access.key";
            case "AccessDenied":
                return "access denied; the credentials need s3:GetObject, s3:PutObject, s3:DeleteObject, "
                    + "s3:ListBucket, s3:ListBucketMultipartUploads and s3:AbortMultipartUpload on bucket '"
                    + bucket + "'";
            case "PermanentRedirect":
            case "AuthorizationHeaderMalformed":
            case "IllegalLocationConstraintException":
                return "the bucket is in another region than s3.region; set s3.region to the bucket's region";
            default:
                break;
        }
        if (status == 301) {
            return "the bucket is in another region than s3.region; set s3.region to the bucket's region";
        }
        if (status == 403) {
            return "access denied; check the credentials and the bucket policy";
        }
        if (status == 404) {
            return "not found";
        }
        return "the request was refused";
    }
}

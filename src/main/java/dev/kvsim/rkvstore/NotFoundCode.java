package dev.kvsim.rkvstore;

/**
 * The code an action answers for an unknown instance: each action keeps the one its SDK has always returned,
 * and Terraform checks them.
 */
public enum NotFoundCode {
    /** Most actions. */
    INSTANCE("InvalidInstanceId.NotFound"),
    /** The calls of the old SDK Terraform reads with: DescribeSecurityIps, DescribeBackupPolicy, DescribeInstanceSSL, … */
    DB_INSTANCE("InvalidDBInstance.NotFound"),
    /** TagResources and UntagResources. */
    DB_INSTANCE_ID("InvalidDbInstanceId.NotFound");

    private final String code;

    NotFoundCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

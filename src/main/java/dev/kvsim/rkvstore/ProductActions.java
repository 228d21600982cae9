package dev.kvsim.rkvstore;

import java.util.Set;

/**
 * Every action of R-KVStore 2015-01-01 (the SDK's, plus ModifyDBInstanceAutoUpgrade and ModifyInstanceBandwidth
 * that Terraform calls). One kvsim does not serve yet answers 400 UnsupportedOperation, not 404
 * InvalidAction.NotFound, which Terraform would read as "the instance is gone".
 */
final class ProductActions {

    static final Set<String> ALL = Set.of(
            "AddShardingNode", "AllocateDirectConnection", "AllocateInstancePublicConnection",
            "CheckCloudResourceAuthorized", "CreateAccount", "CreateBackup", "CreateCacheAnalysisTask",
            "CreateGlobalDistributeCache", "CreateGlobalSecurityIPGroup", "CreateInstance", "CreateInstances",
            "CreateTairInstance", "DeleteAccount", "DeleteGlobalSecurityIPGroup", "DeleteInstance",
            "DeleteShardingNode", "DescribeAccounts", "DescribeActiveOperationTask", "DescribeAuditLogConfig",
            "DescribeAuditRecords", "DescribeAvailableResource", "DescribeBackupPolicy", "DescribeBackupTasks",
            "DescribeBackups", "DescribeCacheAnalysisReport", "DescribeCacheAnalysisReportList",
            "DescribeClusterMemberInfo", "DescribeDBInstanceNetInfo", "DescribeDedicatedClusterInstanceList",
            "DescribeEncryptionKey", "DescribeEncryptionKeyList", "DescribeEngineVersion",
            "DescribeGlobalDistributeCache", "DescribeGlobalSecurityIPGroup",
            "DescribeGlobalSecurityIPGroupRelation", "DescribeHistoryMonitorValues", "DescribeHistoryTasks",
            "DescribeInstanceAttribute", "DescribeInstanceAutoRenewalAttribute", "DescribeInstanceConfig",
            "DescribeInstanceSSL", "DescribeInstanceTDEStatus", "DescribeInstances", "DescribeInstancesOverview",
            "DescribeIntranetAttribute", "DescribeLogicInstanceTopology", "DescribeMonitorItems",
            "DescribeParameterModificationHistory", "DescribeParameterTemplates", "DescribeParameters",
            "DescribePrice", "DescribeRegions", "DescribeRoleZoneInfo", "DescribeRunningLogRecords",
            "DescribeSecurityGroupConfiguration", "DescribeSecurityIps", "DescribeSlowLogRecords", "DescribeTasks",
            "DescribeZones", "EnableAdditionalBandwidth", "FlushExpireKeys", "FlushInstance", "FlushInstanceForDB",
            "GrantAccountPrivilege", "InitializeKvstorePermission", "ListTagResources", "LockDBInstanceWrite",
            "MigrateToOtherZone", "ModifyAccountDescription", "ModifyAccountPassword", "ModifyActiveOperationTask",
            "ModifyAuditLogConfig", "ModifyBackupPolicy", "ModifyDBInstanceAutoUpgrade",
            "ModifyDBInstanceConnectionString", "ModifyGlobalSecurityIPGroup", "ModifyGlobalSecurityIPGroupName",
            "ModifyGlobalSecurityIPGroupRelation", "ModifyInstanceAttribute", "ModifyInstanceAutoRenewalAttribute",
            "ModifyInstanceBandwidth", "ModifyInstanceConfig", "ModifyInstanceMaintainTime",
            "ModifyInstanceMajorVersion", "ModifyInstanceMinorVersion", "ModifyInstanceNetExpireTime",
            "ModifyInstanceParameter", "ModifyInstanceSSL", "ModifyInstanceSpec", "ModifyInstanceTDE",
            "ModifyInstanceVpcAuthMode", "ModifyIntranetAttribute", "ModifyResourceGroup",
            "ModifySecurityGroupConfiguration", "ModifySecurityIps", "ReleaseDirectConnection",
            "ReleaseInstancePublicConnection", "RemoveSubInstance", "RenewAdditionalBandwidth", "RenewInstance",
            "ResetAccountPassword", "RestartInstance", "RestoreInstance", "SwitchInstanceHA", "SwitchInstanceProxy",
            "SwitchNetwork", "SyncDtsStatus", "TagResources", "TransformInstanceChargeType", "TransformToPrePaid",
            "UnlockDBInstanceWrite", "UntagResources");

    private ProductActions() {
    }
}

package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.DescribeInstanceAttributeRequest;
import com.aliyun.r_kvstore20150101.models.DescribeInstanceAttributeResponseBody.DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute;
import com.aliyun.teaopenapi.models.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The official SDK pointed at the kvsim under test, as the docs tell users to set it up. */
final class RkvClients {

    static final String REGION = "cn-hangzhou";

    private RkvClients() {
    }

    static String endpoint() {
        return "127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** @param signatureAlgorithm null for the default (ACS3-HMAC-SHA256), "v2" for HMAC-SHA1 */
    static Client sdk(String accessKeyId, String secret, String signatureAlgorithm) {
        Config config = new Config().setAccessKeyId(accessKeyId).setAccessKeySecret(secret).setRegionId(REGION)
                .setEndpoint(endpoint()).setProtocol("HTTP");
        if (signatureAlgorithm != null) {
            config.setSignatureAlgorithm(signatureAlgorithm);
        }
        try {
            return new Client(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute attribute(Client c, String id) throws Exception {
        return c.describeInstanceAttribute(new DescribeInstanceAttributeRequest().setInstanceId(id)).getBody()
                .getInstances().getDBInstanceAttribute().get(0);
    }

    /** Polls DescribeInstanceAttribute (up to 30 s) until the instance is Normal, as Terraform and the docs do. */
    static DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute awaitNormal(Client c, String id)
            throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute a = attribute(c, id);
        while (!"Normal".equals(a.getInstanceStatus())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " is still " + a.getInstanceStatus() + " after 30 s");
            }
            Thread.sleep(50);
            a = attribute(c, id);
        }
        return a;
    }
}

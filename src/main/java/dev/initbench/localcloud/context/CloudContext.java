package dev.initbench.localcloud.context;

import java.net.URI;

/**
 * What every service of one local cloud shares: where its endpoint is and whose account and region it plays.
 *
 * @param endpoint        the single loopback endpoint every AWS API call goes to
 * @param region          the region (SigV4 scope, ARNs)
 * @param accountId       the account id in ARNs
 * @param accessKeyId     the access key the endpoint accepts (and hands to execution environments)
 * @param secretAccessKey its secret
 */
public record CloudContext(URI endpoint, String region, String accountId, String accessKeyId,
                           String secretAccessKey) {
}

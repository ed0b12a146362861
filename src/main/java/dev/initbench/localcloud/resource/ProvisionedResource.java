package dev.initbench.localcloud.resource;

import java.util.Map;

/**
 * A created resource as the engine keeps it.
 *
 * @param type       the resource type
 * @param logicalId  its key in the template
 * @param physicalId the id shown as {@code PhysicalResourceId}
 * @param ref        what {@code Ref} returns for it (for most types the physical id; for a Lambda version or
 *                   alias its ARN)
 * @param attributes what {@code Fn::GetAtt} returns, by attribute name
 */
public record ProvisionedResource(String type, String logicalId, String physicalId, String ref,
                                  Map<String, String> attributes) {
}

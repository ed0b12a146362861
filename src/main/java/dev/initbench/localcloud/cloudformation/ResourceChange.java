package dev.initbench.localcloud.cloudformation;

import java.util.List;

/**
 * One resource's entry in a change set, as DescribeChangeSet shows it under {@code Changes[].ResourceChange}.
 *
 * @param physicalId  the resource's current physical id (null for {@code Add})
 * @param replacement null for {@code Add} and {@code Remove}
 * @param details     one per cause of each changed property (empty for {@code Add} and {@code Remove})
 */
record ResourceChange(Action action, String logicalId, String physicalId, String resourceType,
                      Replacement replacement, List<Detail> details) {

    ResourceChange {
        details = List.copyOf(details);
    }

    enum Action {
        Add, Modify, Remove
    }

    /** Whether the change replaces the resource; {@code Conditional} when it depends on a value known only later. */
    enum Replacement {
        True, False, Conditional
    }

    /** Whether a change of this property replaces the resource. */
    enum RequiresRecreation {
        Never, Conditionally, Always
    }

    enum ChangeSource {
        DirectModification, ParameterReference, ResourceReference, ResourceAttribute
    }

    /** {@code Dynamic}: the new value depends on a resource changed by the same update, so it is known only then. */
    enum Evaluation {
        Static, Dynamic
    }

    /**
     * Why one property changes.
     *
     * @param causingEntity the parameter, resource or {@code resource.attribute} behind the change (null for a
     *                      direct modification)
     */
    record Detail(String propertyName, RequiresRecreation requiresRecreation, Evaluation evaluation,
                  ChangeSource changeSource, String causingEntity) {
    }
}

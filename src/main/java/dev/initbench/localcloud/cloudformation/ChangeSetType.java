package dev.initbench.localcloud.cloudformation;

/** What a change set does to its stack; the constant's name is the wire value ({@code IMPORT} is not emulated). */
enum ChangeSetType {
    CREATE, UPDATE
}

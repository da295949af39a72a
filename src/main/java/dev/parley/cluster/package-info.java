/**
 * Several Parley nodes serving the same rooms through one Redis server: message numbering, history
 * and presence live in Redis, changed only by Lua scripts (each one atomic step that also publishes
 * the room's event); every node subscribes to the room events and delivers them to its own members.
 */
package dev.parley.cluster;

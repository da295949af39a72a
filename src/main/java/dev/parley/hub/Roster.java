package dev.parley.hub;

import java.util.List;

/** Some of a room's nicks in join order, and how many members it has. */
public record Roster(List<String> names, int count) {}

/**
 * Every command group, in the order `consentry --help` lists them. A group is a function that adds its
 * commands to the program.
 */
import type { Command } from 'commander';

export type RegisterCommands = (program: Command) => void;

export const COMMANDS: RegisterCommands[] = [];

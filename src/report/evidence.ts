/**
 * Reading a claim's JSON evidence in the reports: its shape depends on the
 * kind and the verdict, so every access is checked (a missing or mistyped
 * field reads as undefined, [] or NaN, never throws).
 */
import type { Json } from '../proof/index.js';

export type Obj = { [k: string]: Json };

export const obj = (v: Json | undefined): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
/** A number, or a number written as a string ("Infinity", "NaN"); NaN otherwise. */
export const num = (v: Json | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);

/** A part of the interface's dictionary: key → Russian text, and English where given (see index.ts). */
export type Strings = Record<string, { ru: string; en?: string }>;

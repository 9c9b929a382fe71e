// What the public operational routes reply.
import { z } from 'zod';

export const healthSchema = z.object({ status: z.string() }).meta({ id: 'Health' });

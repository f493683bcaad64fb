// An API call that shows its failure as an error toast and rethrows it (for forms that also show it by the field).
import { useCallback } from 'react';
import type { Channel, Input, Output } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { api } from '../data/api';
import { useToast } from './toast';

export function useApiCall(): <C extends Channel>(channel: C, input: Input<C>) => Promise<Output<C>> {
  const toast = useToast();
  return useCallback(
    async <C extends Channel>(channel: C, input: Input<C>) => {
      try {
        return await api.call(channel, input);
      } catch (e) {
        const err = ApiError.from(e);
        toast({ message: err.message, tone: 'error' });
        throw err;
      }
    },
    [toast],
  );
}

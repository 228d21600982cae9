package com.example.prices;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

@Path("/prices")
public class PriceResource {

    private final PriceCache cache;

    public PriceResource(PriceCache cache) {
        this.cache = cache;
    }

    @GET
    @Path("{sku}")
    public PriceCache.Lookup price(@PathParam("sku") String sku) {
        return cache.price(sku);
    }
}

from .images import clean_image


class LogoFormMixin:
    """For a ModelForm with a `logo` field: a new upload is checked and re-encoded."""

    logo_max_side = 800

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo != self.initial.get("logo"):
            return clean_image(logo, max_side=self.logo_max_side)
        return logo

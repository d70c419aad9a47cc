# Gold points per criterion, by method (held-out means)
# Render from this directory: gnuplot criteria.gp  (writes criteria.png)
if (!exists("outfile")) outfile = 'criteria.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Gold points per criterion, by method (held-out means)'
set xlabel ''
set ylabel 'points'
set key top right box opaque
set grid
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [-0.629570618:2.1440268]
set xtics nomirror
plot 'criteria.dat' using 2:xtic(1) lc 1 title 'SFT', \
     'criteria.dat' using 3 lc 2 title 'TRPO', \
     'criteria.dat' using 4 lc 3 title 'PPO (kl_coef 0.05)', \
     'criteria.dat' using 5 lc 4 title 'GRPO', \
     'criteria.dat' using 6 lc 5 title 'DPO (β 0.1)', \
     'criteria.dat' using 7 lc 6 title 'TPO'
